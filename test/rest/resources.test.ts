// The resource verbs: GET, HEAD, OPTIONS, POST, PUT, 404 and 405, pool listings and CORS.
import assert from 'node:assert/strict';
import { ids, registerAndLogIn, startTestApp, type TestApp } from '../support/test-app.ts';

describe('rest/resources', () => {
  let t: TestApp;
  let adminToken: string;
  beforeEach(async () => {
    t = await startTestApp({ env: { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin-password' } });
    adminToken = (await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200)).body.user_token;
  });
  afterEach(async () => {
    await t.close();
  });

  const createPool = (parent: string, name: string, title = '') =>
    t.http
      .post(parent)
      .set('X-User-Token', adminToken)
      .send({ content_type: ids.basicPool, data: { [ids.name]: { name }, [ids.title]: { title } } });

  describe('GET and HEAD', () => {
    it('answers the initial tree', async () => {
      const root = await t.http.get('/').expect(200);
      assert.equal(root.body.path, 'http://localhost:6541/');
      assert.equal(root.body.content_type, 'adhocracy_core.resources.root.IRootPool');
      assert.deepEqual(root.body.data[ids.pool], { elements: [], count: 1 });
      for (const [path, type] of [
        ['/principals/', 'adhocracy_core.resources.principal.IPrincipalsService'],
        ['/principals/users/', 'adhocracy_core.resources.principal.IUsersService'],
        ['/principals/groups/', 'adhocracy_core.resources.principal.IGroupsService'],
      ]) {
        const response = await t.http.get(path as string).expect(200);
        assert.equal(response.body.content_type, type);
        assert.equal(response.body.path, `http://localhost:6541${path}`);
      }
    });

    it('accepts paths with or without the trailing slash', async () => {
      const without = await t.http.get('/principals/users').expect(200);
      assert.equal(without.body.path, 'http://localhost:6541/principals/users/');
    });

    it('answers 404 in the envelope for unknown and malformed paths', async () => {
      for (const path of ['/nothing/', '/principals/nobody/', '/principals/../principals/', '/principals//users/', '/%00/']) {
        const response = await t.http.get(path).expect(404);
        assert.equal(response.body.status, 'error');
        assert.equal(response.body.errors[0].location, 'url');
      }
    });

    it('answers HEAD with the headers of GET and no body', async () => {
      const response = await t.http.head('/principals/').expect(200);
      assert.match(String(response.headers['content-type']), /application\/json/);
      assert.deepEqual(response.body, {});
      assert.equal(response.text, undefined);
    });

    it('lists elements as paths or content, in pages', async () => {
      await createPool('/', 'space');
      for (const name of ['a', 'b', 'c', 'd']) await createPool('/space/', name, `Title ${name}`).expect(200);
      const omitted = await t.http.get('/space/').expect(200);
      assert.deepEqual(omitted.body.data[ids.pool], { elements: [], count: 4 });
      const paths = await t.http.get('/space/?elements=paths&limit=2&offset=1').expect(200);
      assert.deepEqual(paths.body.data[ids.pool], {
        elements: ['http://localhost:6541/space/b/', 'http://localhost:6541/space/c/'],
        count: 4,
      });
      const content = await t.http.get('/space/?elements=content&limit=1').expect(200);
      const [first] = content.body.data[ids.pool].elements;
      assert.equal(first.path, 'http://localhost:6541/space/a/');
      assert.deepEqual(first.data[ids.title], { title: 'Title a' });
    });

    it('answers 405 with Allow for a method a resource does not take', async () => {
      const response = await t.http.patch('/principals/').send({}).expect(405);
      assert.equal(response.body.errors[0].name, 'method');
      assert.equal(response.headers.allow, 'GET, OPTIONS, POST, PUT, DELETE, HEAD');
      const login = await t.http.get('/login_username').expect(405);
      assert.equal(login.headers.allow, 'POST');
    });
  });

  describe('POST', () => {
    it('creates a named pool, with metadata, and reports what changed', async () => {
      const response = await createPool('/', 'space', 'A space').expect(200);
      assert.deepEqual(response.body, {
        content_type: ids.basicPool,
        path: 'http://localhost:6541/space/',
        updated_resources: {
          // The admin is modified too: the new pool's creator reference points to it.
          changed_descendants: ['http://localhost:6541/principals/users/', 'http://localhost:6541/principals/', 'http://localhost:6541/'],
          created: ['http://localhost:6541/space/'],
          modified: ['http://localhost:6541/', 'http://localhost:6541/principals/users/0000000/'],
          removed: [],
        },
      });
      const space = await t.http.get('/space/').expect(200);
      const metadata = space.body.data[ids.metadata];
      assert.match(metadata.creator, /^http:\/\/localhost:6541\/principals\/users\/\d{7}\/$/);
      assert.equal(metadata.creation_date, new Date(t.clock.now()).toISOString());
      assert.equal(metadata.hidden, false);
      assert.equal(space.body.data[ids.title].title, 'A space');
    });

    it('refuses a name that is taken or reserved for a view', async () => {
      await createPool('/', 'space').expect(200);
      const taken = await createPool('/', 'space').expect(400);
      assert.equal(taken.body.errors[0].name, `data.${ids.name}.name`);
      for (const reserved of ['meta_api', 'login_username', 'sessions']) {
        const response = await createPool('/', reserved).expect(400);
        assert.equal(response.body.errors[0].description, `${reserved} is reserved`);
      }
    });

    it('forbids anonymous callers and users without the right role', async () => {
      const anonymous = await t.http
        .post('/')
        .send({ content_type: ids.basicPool, data: { [ids.name]: { name: 'x' } } })
        .expect(403);
      assert.equal(anonymous.body.errors[0].name, 'path');
      const anna = await registerAndLogIn(t.http, 'Anna');
      await t.http
        .post('/')
        .set('X-User-Token', anna.token)
        .send({ content_type: ids.basicPool, data: { [ids.name]: { name: 'x' } } })
        .expect(403);
    });

    it('gives fifty simultaneous creations in one pool fifty distinct names', async () => {
      // All from one address: beyond the default share of the hashing queue, which is not what this is about.
      await t.close();
      t = await startTestApp({ env: { HASH_QUEUE_PER_ADDRESS: '64' } });
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          t.http.post('/principals/users').send({
            content_type: ids.user,
            data: {
              [ids.userBasic]: { name: `user ${index}` },
              [ids.userExtended]: { email: `user${index}@example.org` },
              [ids.password]: { password: 'EckVocUbs3' },
            },
          }),
        ),
      );
      assert.ok(responses.every((response) => response.status === 200));
      assert.equal(new Set(responses.map((response) => response.body.path)).size, 50);
    });
  });

  describe('PUT', () => {
    it('changes a sheet and keeps the others', async () => {
      await createPool('/', 'space', 'Old').expect(200);
      const response = await t.http
        .put('/space/')
        .set('X-User-Token', adminToken)
        .send({ data: { [ids.title]: { title: 'New' } } })
        .expect(200);
      assert.deepEqual(response.body.updated_resources.modified, ['http://localhost:6541/space/']);
      const space = await t.http.get('/space/').expect(200);
      assert.equal(space.body.data[ids.title].title, 'New');
      assert.equal(space.body.data[ids.name].name, 'space');
    });

    it('never loses an acknowledged change among concurrent PUTs on one resource', async () => {
      await createPool('/', 'space').expect(200);
      const responses = await Promise.all([
        t.http.put('/space/').set('X-User-Token', adminToken).send({ data: { [ids.title]: { title: 'T' } } }),
        t.http
          .put('/space/')
          .set('X-User-Token', adminToken)
          .send({ data: { 'adhocracy_core.sheets.description.IDescription': { description: 'D' } } }),
      ]);
      assert.deepEqual(responses.map((response) => response.status), [200, 200]);
      const space = await t.http.get('/space/').expect(200);
      assert.equal(space.body.data[ids.title].title, 'T');
      assert.equal(space.body.data['adhocracy_core.sheets.description.IDescription'].description, 'D');
    });

    it('refuses a content_type other than the resource’s own', async () => {
      await createPool('/', 'space').expect(200);
      const response = await t.http
        .put('/space/')
        .set('X-User-Token', adminToken)
        .send({ content_type: ids.user, data: { [ids.title]: { title: 'x' } } })
        .expect(400);
      assert.equal(response.body.errors[0].name, 'content_type');
    });
  });

  describe('OPTIONS', () => {
    it('tells anonymous callers they may read the root and nothing more', async () => {
      const response = await t.http.options('/').expect(200);
      assert.deepEqual(Object.keys(response.body).sort(), ['GET', 'HEAD', 'OPTIONS']);
      assert.deepEqual(response.body.GET.response_body.data, { [ids.metadata]: {}, [ids.name]: {}, [ids.pool]: {} });
    });

    it('offers anonymous callers registration in the users pool', async () => {
      const response = await t.http.options('/principals/users/').expect(200);
      assert.deepEqual(response.body.POST.request_body, [
        {
          content_type: ids.user,
          data: { [ids.password]: {}, [ids.userBasic]: {}, [ids.userExtended]: {}, [ids.aliases]: {} },
        },
      ]);
    });

    it('offers admins creation and editing, with the sheets they may set', async () => {
      const response = await t.http.options('/').set('X-User-Token', adminToken).expect(200);
      assert.deepEqual(response.body.POST.request_body, [
        {
          content_type: ids.basicPool,
          data: {
            'adhocracy_core.sheets.acl.IAcl': {},
            'adhocracy_core.sheets.description.IDescription': {},
            'adhocracy_core.sheets.local_roles.ILocalRoles': {},
            [ids.name]: {},
            [ids.title]: {},
          },
        },
      ]);
      await createPool('/', 'space').expect(200);
      const space = await t.http.options('/space/').set('X-User-Token', adminToken).expect(200);
      assert.deepEqual(space.body.PUT.request_body.data, {
        'adhocracy_core.sheets.acl.IAcl': {},
        'adhocracy_core.sheets.description.IDescription': {},
        'adhocracy_core.sheets.local_roles.ILocalRoles': {},
        [ids.metadata]: {},
        [ids.title]: {},
      });
    });

    it('shows users what they may edit on themselves', async () => {
      const anna = await registerAndLogIn(t.http, 'Anna');
      const response = await t.http.options(new URL(anna.path).pathname).set('X-User-Token', anna.token).expect(200);
      assert.deepEqual(Object.keys(response.body.PUT.request_body.data).sort(), [ids.password, ids.userBasic, ids.userExtended, ids.aliases].sort());
      const other = await t.http.options(new URL(anna.path).pathname).expect(200);
      assert.equal(other.body.PUT, undefined);
    });

    it('answers a CORS preflight with CORS headers instead', async () => {
      const response = await t.http
        .options('/principals/users/')
        .set('Origin', 'https://app.example.org')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type, x-user-token')
        .expect(204);
      assert.equal(response.headers['access-control-allow-origin'], '*');
      assert.match(String(response.headers['access-control-allow-headers']), /X-User-Token/);
      assert.match(String(response.headers['access-control-allow-methods']), /PUT/);
      const simple = await t.http.get('/').set('Origin', 'https://app.example.org').expect(200);
      assert.equal(simple.headers['access-control-allow-origin'], '*');
      assert.equal(simple.headers['access-control-expose-headers'], 'X-Request-Id, ETag, X-Caching-Mode, Retry-After');
    });

    it('answers CORS only for configured origins', async () => {
      const strict = await startTestApp({ env: { CORS_ORIGINS: 'https://good.example.org' } });
      try {
        const good = await strict.http.get('/').set('Origin', 'https://good.example.org').expect(200);
        assert.equal(good.headers['access-control-allow-origin'], 'https://good.example.org');
        const bad = await strict.http.get('/').set('Origin', 'https://evil.example.org').expect(200);
        assert.equal(bad.headers['access-control-allow-origin'], undefined);
      } finally {
        await strict.close();
      }
    });
  });

  describe('errors', () => {
    it('hides internals of unexpected failures behind a 500 in the envelope', async () => {
      const storage = t.app.services.storage;
      const original = storage.readResources.bind(storage);
      storage.readResources = async () => {
        throw new Error('disk on fire at /secret/path');
      };
      try {
        const response = await t.http.get('/').expect(500);
        assert.deepEqual(response.body, {
          status: 'error',
          errors: [{ location: 'internal', name: 'server', description: 'Internal server error', code: 'internal' }],
        });
      } finally {
        storage.readResources = original;
      }
    });

    it('answers every request with a request id, echoing an acceptable one', async () => {
      const given = await t.http.get('/').set('X-Request-Id', 'abc-123').expect(200);
      assert.equal(given.headers['x-request-id'], 'abc-123');
      const generated = await t.http.get('/').set('X-Request-Id', 'bad id\twith tab').expect(200);
      assert.match(String(generated.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    });
  });
});
