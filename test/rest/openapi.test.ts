// GET /openapi.json: a valid OpenAPI 3.1 document, generated from the registry, the route table and the error codes.
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { errorCodes } from '../../src/errors.ts';
import { queryParameters } from '../../src/rest/pool-query.ts';
import { routes } from '../../src/rest/routes.ts';
import { createContractChecker } from '../support/contract.ts';
import { ids, registrationBody, startTestApp, type TestApp } from '../support/test-app.ts';

type Specification = Parameters<Validator['validate']>[0];

type Document = {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
  components: { schemas: Record<string, { properties?: Record<string, Record<string, unknown>>; required?: string[] }> };
};

describe('rest/openapi', () => {
  let test: TestApp;
  let document: Document;

  before(async () => {
    test = await startTestApp({ env: { PASSWORD_MIN_LENGTH: '12' } });
    const answer = await test.http.get('/openapi.json').expect(200);
    document = answer.body as Document;
  });
  after(() => test.close());

  it('is valid OpenAPI 3.1, by the official schema', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as Specification);
    assert.deepEqual(result.errors, undefined);
    assert.equal(result.valid, true);
    assert.equal(validator.version, '3.1');
  });

  it('is refused by the same validator once broken, so that the check above can fail', async () => {
    const broken = structuredClone(document) as Document & { info?: unknown };
    delete broken.info;
    const result = await new Validator().validate(broken as Specification);
    assert.equal(result.valid, false);
  });

  it('has an operation for every route of the route table', () => {
    const operations = Object.entries(document.paths).flatMap(([template, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${template}`));
    for (const route of routes) {
      const found = operations.filter((operation) => operation.startsWith(`${route.method} `) && (route.view === undefined || operation.includes(`/${route.view}`)));
      assert.ok(found.length > 0, `${route.method} ${route.view ?? '(resource)'} is missing`);
    }
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE']) assert.ok(operations.includes(`${method} /{path}`), method);
  });

  it('lists every error code with its meaning', () => {
    const code = document.components.schemas.ErrorDetail?.properties?.code;
    assert.deepEqual(code?.enum, Object.keys(errorCodes));
    assert.deepEqual(code?.['x-enum-descriptions'], errorCodes);
  });

  it('derives each sheet from its class-validator rules and field options', () => {
    const create = document.components.schemas[`${ids.user}.create`];
    const data = create?.properties?.data as { properties: Record<string, { properties: Record<string, Record<string, unknown>>; required?: string[] }>; required: string[] };
    const name = data.properties[ids.userBasic]?.properties.name;
    assert.equal(name?.type, 'string');
    assert.equal(name?.minLength, 1);
    assert.equal(name?.maxLength, 100);
    assert.ok(Array.isArray(name?.allOf), 'its several patterns are all kept');
    assert.deepEqual(name?.['x-validators'], ['noInvisibleCharacters', 'noAtSign']);
    assert.equal(data.properties[ids.userExtended]?.properties.email?.format, 'email');
    // The password policy is the configured one, and a password is never read back.
    const password = data.properties[ids.password]?.properties.password;
    assert.equal(password?.minLength, 12);
    assert.equal(password?.writeOnly, true);
    assert.deepEqual(data.required.sort(), [ids.password, ids.userBasic, ids.userExtended].sort());
    assert.equal(document.components.schemas[ids.password]?.properties?.password, undefined);
    // Server-managed fields are read, never sent.
    const metadata = document.components.schemas[ids.metadata];
    assert.equal(metadata?.properties?.creation_date?.readOnly, true);
    const editMetadata = (document.components.schemas[`${ids.basicPool}.edit`]?.properties?.data as { properties: Record<string, { properties: object }> }).properties[ids.metadata];
    assert.deepEqual(Object.keys(editMetadata?.properties ?? {}), ['hidden', 'deleted']);
  });

  it('names every query parameter of pools, and the filters of the registry', () => {
    const names = (document.paths['/{path}']?.get?.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
    for (const name of queryParameters) assert.ok(names.includes(name), name);
    for (const name of ['name', 'creator', 'rate', `${ids.userBasic}:name`]) assert.ok(names.includes(name), name);
    // Filters on sheets that not everybody may read are refused, so they are not offered.
    assert.ok(!names.some((name) => name.startsWith(ids.userExtended)));
  });

  describe('the checker of exchanges', () => {
    const check = (exchange: Parameters<ReturnType<typeof createContractChecker>['check']>[0]) => createContractChecker(document).check(exchange);

    it('passes what the server answers', async () => {
      const body = registrationBody('Dora', 'dora@example.org', 'a long enough password');
      const answer = await test.http.post('/principals/users').send(body).expect(200);
      assert.deepEqual(check({ method: 'POST', path: '/principals/users', query: {}, requestBody: body, status: 200, responseBody: answer.body }), []);
      const login = await test.http.post('/login_username').send({ name: 'Dora', password: 'a long enough password' }).expect(200);
      assert.deepEqual(check({ method: 'POST', path: '/login_username', query: {}, requestBody: { name: 'Dora', password: 'a long enough password' }, status: 200, responseBody: login.body }), []);
    });

    it('finds an answer that lacks a member, a body with an unknown field, an unknown parameter and a bad error', () => {
      const login = { status: 'success', user_path: 'http://localhost:6541/principals/users/0000000/', idle_expires_at: '2026-01-01T00:00:00.000Z', expires_at: '2026-01-01T00:00:00.000Z' };
      assert.match(check({ method: 'POST', path: '/login_username', query: {}, requestBody: { name: 'a', password: 'b' }, status: 200, responseBody: login }).join('\n'), /user_token/);
      const body = { content_type: ids.basicPool, data: { [ids.name]: { name: 'p', colour: 'red' } } };
      assert.match(check({ method: 'POST', path: '/', query: {}, requestBody: body, status: 200, responseBody: {} }).join('\n'), /additional properties/);
      assert.match(check({ method: 'GET', path: '/principals/', query: { colour: 'red' }, status: 200, responseBody: {} }).join('\n'), /colour/);
      const error = { status: 'error', errors: [{ location: 'body', name: 'x', description: 'y', code: 'no_such_code' }] };
      assert.match(check({ method: 'GET', path: '/principals/', query: {}, status: 400, responseBody: error }).join('\n'), /code/);
    });
  });
});
