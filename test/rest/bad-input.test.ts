// Every kind of bad input gets a 4xx in the error envelope naming the field, and nothing is written.
import assert from 'node:assert/strict';
import { ApiError, maxErrorTextLength } from '../../src/errors.ts';
import { ids, registrationBody, startTestApp, type TestApp } from '../support/test-app.ts';

const admin = { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin-password' };

describe('rest/bad input', () => {
  let t: TestApp;
  let adminToken: string;

  before(async () => {
    t = await startTestApp({ env: { ...admin, BODY_LIMIT_BYTES: '4096', MAX_JSON_DEPTH: '16' } });
    const login = await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200);
    adminToken = login.body.user_token;
  });
  after(async () => {
    await t.close();
  });

  async function usersCount(): Promise<number> {
    const response = await t.http.get('/principals/users/').expect(200);
    return response.body.data[ids.pool].count;
  }

  /** Sends a registration and expects the given status and an envelope error naming `name`. */
  async function expectRejected(send: () => Promise<{ status: number; body: unknown }>, status: number, name: string) {
    const before = await usersCount();
    const response = await send();
    assert.equal(response.status, status, JSON.stringify(response.body));
    const body = response.body as { status: string; errors: { name: string; location: string; description: string }[] };
    assert.equal(body.status, 'error');
    assert.ok(body.errors.some((error) => error.name === name), `no error names ${name}: ${JSON.stringify(body.errors)}`);
    for (const error of body.errors) {
      assert.ok(['body', 'querystring', 'header', 'url', 'internal'].includes(error.location));
      assert.equal(typeof error.description, 'string');
    }
    assert.equal(await usersCount(), before, 'a rejected request changed the users pool');
  }

  const register = (body: unknown, type = 'application/json') => () =>
    t.http.post('/principals/users').set('Content-Type', type).send(typeof body === 'string' ? body : JSON.stringify(body));

  it('rejects malformed JSON', async () => {
    await expectRejected(register('{"content_type": '), 400, 'body');
  });

  it('rejects a body that is not JSON with 415', async () => {
    await expectRejected(register('name=anna', 'application/x-www-form-urlencoded'), 415, 'Content-Type');
    await expectRejected(register('<user/>', 'text/xml'), 415, 'Content-Type');
  });

  it('rejects a body that is JSON but not an object', async () => {
    await expectRejected(register('[1, 2]'), 400, 'body');
  });

  it('rejects a missing or unknown content_type', async () => {
    const { content_type: _omitted, ...withoutType } = registrationBody('anna', 'anna@example.org');
    await expectRejected(register(withoutType), 400, 'content_type');
    await expectRejected(register({ ...registrationBody('anna', 'anna@example.org'), content_type: 'x.y.IUnknown' }), 400, 'content_type');
    await expectRejected(register({ ...registrationBody('anna', 'anna@example.org'), content_type: 42 }), 400, 'content_type');
  });

  it('rejects a type that the pool cannot hold', async () => {
    await expectRejected(register({ content_type: ids.basicPool, data: { [ids.name]: { name: 'x' } } }), 400, 'content_type');
  });

  it('rejects unknown top-level members', async () => {
    await expectRejected(register({ ...registrationBody('anna', 'anna@example.org'), extra: 1 }), 400, 'extra');
  });

  it('rejects a sheet the type does not have', async () => {
    const body = registrationBody('anna', 'anna@example.org');
    (body.data as Record<string, unknown>)[ids.title] = { title: 'x' };
    await expectRejected(register(body), 400, `data.${ids.title}`);
  });

  it('rejects a field the sheet does not have', async () => {
    const body = registrationBody('anna', 'anna@example.org');
    (body.data[ids.userBasic] as Record<string, unknown>).nickname = 'x';
    await expectRejected(register(body), 400, `data.${ids.userBasic}.nickname`);
  });

  it('rejects a read-only field', async () => {
    const body = { ...registrationBody('anna', 'anna@example.org') } as { data: Record<string, unknown> };
    body.data[ids.metadata] = { creation_date: '2020-01-01T00:00:00Z' };
    // IMetadata is the server's; setting it at all is a field error, not a permission error.
    await expectRejected(register(body), 400, `data.${ids.metadata}.creation_date`);
  });

  it('rejects values of the wrong type', async () => {
    const body = registrationBody('anna', 'anna@example.org');
    (body.data[ids.userBasic] as Record<string, unknown>).name = 42;
    await expectRejected(register(body), 400, `data.${ids.userBasic}.name`);
    const nullName = registrationBody('anna', 'anna@example.org');
    (nullName.data[ids.userBasic] as Record<string, unknown>).name = null;
    await expectRejected(register(nullName), 400, `data.${ids.userBasic}.name`);
    await expectRejected(register({ content_type: ids.user, data: [] }), 400, 'data');
    await expectRejected(register({ content_type: ids.user, data: { [ids.userBasic]: 'anna' } }), 400, `data.${ids.userBasic}`);
  });

  it('rejects values out of range', async () => {
    await expectRejected(register(registrationBody('anna', 'anna@example.org', 'short')), 400, `data.${ids.password}.password`);
    await expectRejected(register(registrationBody('a'.repeat(101), 'anna@example.org')), 400, `data.${ids.userBasic}.name`);
  });

  it('rejects missing mandatory fields', async () => {
    await expectRejected(register({ content_type: ids.user, data: {} }), 400, `data.${ids.userBasic}.name`);
  });

  for (const key of ['__proto__', 'constructor', 'prototype', '_id', '_rev', '_deleted']) {
    it(`rejects the key ${key} anywhere in the body`, async () => {
      const raw = JSON.stringify(registrationBody('anna', 'anna@example.org')).replace('"name":', `"${key}": {"polluted": true}, "name":`);
      await expectRejected(register(raw), 400, `data.${ids.userBasic}.${key}`);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  }

  it('rejects a body over the size limit with 413', async () => {
    await expectRejected(register(registrationBody('anna', `${'a'.repeat(5000)}@example.org`)), 413, 'body');
  });

  it('rejects nesting deeper than the limit', async () => {
    const deep = `${'['.repeat(40)}${']'.repeat(40)}`;
    const raw = JSON.stringify(registrationBody('anna', 'anna@example.org')).replace('"EckVocUbs3"', deep);
    await expectRejected(register(raw), 400, `data.${ids.password}.password.0.0.0.0.0.0.0.0.0.0.0.0.0`);
  });

  it('rejects nesting far beyond what the parser could recurse into', async () => {
    const response = await t.http
      .post('/principals/users')
      .set('Content-Type', 'application/json')
      .send(`${'['.repeat(2000)}${']'.repeat(2000)}`);
    assert.equal(response.status, 400);
    assert.equal(response.body.status, 'error');
  });

  it('rejects unknown query parameters and bad values with location querystring', async () => {
    for (const query of ['?bogus=1', '?limit=0', '?limit=abc', '?elements=all', '?offset=-1', '?__proto__=1']) {
      const response = await t.http.get(`/principals/users/${query}`).expect(400);
      assert.equal(response.body.errors[0].location, 'querystring', query);
    }
  });

  it('rejects a PUT that changes a field which cannot be changed', async () => {
    const created = await t.http
      .post('/')
      .set('X-User-Token', adminToken)
      .send({ content_type: ids.basicPool, data: { [ids.name]: { name: 'space' } } })
      .expect(200);
    const response = await t.http
      .put('/space/')
      .set('X-User-Token', adminToken)
      .send({ data: { [ids.name]: { name: 'renamed' } } })
      .expect(400);
    assert.equal(response.body.errors[0].name, `data.${ids.name}.name`);
    assert.equal(created.body.path, 'http://localhost:6541/space/');
    await t.http.get('/space/').expect(200);
    await t.http.get('/renamed/').expect(404);
  });

  it('leaves no unique name behind after a rejected registration', async () => {
    const body = registrationBody('Bert', 'bert@example.org');
    (body.data[ids.password] as Record<string, unknown>).password = 'short';
    await expectRejected(register(body), 400, `data.${ids.password}.password`);
    await t.http.post('/principals/users').send(registrationBody('Bert', 'bert@example.org')).expect(200);
  });
});

describe('rest/bad input: the size of an error answer', () => {
  let t: TestApp;
  before(async () => {
    // The default body limit (1 MB), so that a body of many small mistakes is read whole.
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  /** 100,000 distinct short keys, as a JSON object's members with empty objects as values: about 950 KB. */
  const manyMembers = () =>
    Array.from({ length: 100_000 }, (_, index) => `"${index.toString(36)}":{}`).join(',');

  async function expectTwentyErrors(body: string, name: (error: { name: string }) => boolean) {
    assert.ok(body.length > 900_000, `the body has ${body.length} bytes`);
    const response = await t.http.post('/principals/users').set('Content-Type', 'application/json').send(body);
    assert.equal(response.status, 400);
    assert.equal(response.body.status, 'error');
    assert.equal(response.body.errors.length, 20);
    assert.ok(response.body.errors.every(name), JSON.stringify(response.body.errors[0]));
    assert.ok(response.text.length < 8_000, `the answer has ${response.text.length} bytes`);
  }

  it('lists at most 20 of 100,000 unknown sheets', async () => {
    await expectTwentyErrors(`{"content_type": "${ids.user}", "data": {${manyMembers()}}}`, (error) => error.name.startsWith('data.'));
  });

  it('lists at most 20 of 100,000 unknown fields of one sheet', async () => {
    await expectTwentyErrors(`{"content_type": "${ids.user}", "data": {"${ids.userBasic}": {${manyMembers()}}}}`, (error) => error.name.startsWith(`data.${ids.userBasic}.`));
  });

  it('lists at most 20 of 100,000 unknown members of the body', async () => {
    await expectTwentyErrors(`{${manyMembers()}}`, (error) => !error.name.startsWith('data.'));
  });

  it('cuts a very long name or description short', async () => {
    const key = `x.${'y'.repeat(500_000)}`;
    const response = await t.http.post('/principals/users').send({ content_type: ids.user, data: { [key]: {} } });
    assert.equal(response.status, 400);
    assert.ok(response.text.length < 8_000, `the answer has ${response.text.length} bytes`);
    assert.ok(response.body.errors[0].name.startsWith('data.x.yyy'));
  });

  it('never cuts a character in half', () => {
    for (const prefix of ['', 'x']) {
      const [error] = new ApiError(400, [{ location: 'body', name: `${prefix}${'😀'.repeat(maxErrorTextLength)}`, description: 'd' }]).errors;
      assert.ok(error && error.name.length <= maxErrorTextLength && error.name.endsWith('…'));
      assert.doesNotMatch(error.name, /\p{Surrogate}/u);
    }
  });
});
