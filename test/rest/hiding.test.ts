// Hiding and deleting: inherited by everything below, left out of listings and counts, reversible by admins.
import assert from 'node:assert/strict';
import { ids, registerAndLogIn, registrationBody, startTestApp, type TestApp } from '../support/test-app.ts';

describe('rest/hiding', () => {
  let t: TestApp;
  let admin: string;
  beforeEach(async () => {
    t = await startTestApp({ env: { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin-password' } });
    admin = (await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200)).body.user_token;
    for (const path of ['/', '/a/', '/a/b/']) {
      const name = path === '/' ? 'a' : path === '/a/' ? 'b' : 'c';
      await t.http.post(path).set('X-User-Token', admin).send({ content_type: ids.basicPool, data: { [ids.name]: { name } } }).expect(200);
    }
  });
  afterEach(async () => {
    await t.close();
  });

  const hide = (path: string, hidden: boolean) =>
    t.http.put(path).set('X-User-Token', admin).send({ data: { [ids.metadata]: { hidden } } });

  it('answers 410 for a hidden resource and everything below it, on every verb', async () => {
    await hide('/a/', true).expect(200);
    for (const path of ['/a/', '/a/b/', '/a/b/c/']) {
      const response = await t.http.get(path).expect(410);
      assert.equal(response.body.reason, 'hidden');
      await t.http.options(path).expect(410);
    }
    const user = await registerAndLogIn(t.http, 'Eve');
    await t.http
      .post('/a/b/')
      .set('X-User-Token', user.token)
      .send({ content_type: ids.basicPool, data: { [ids.name]: { name: 'x' } } })
      .expect(410);
    await t.http.get('/').expect(200);
  });

  it('leaves hidden children out of elements and counts, and admins see and restore them', async () => {
    const listed = async (token?: string) => {
      const request = t.http.get('/?elements=paths');
      if (token) request.set('X-User-Token', token);
      return (await request.expect(200)).body.data[ids.pool];
    };
    const principals = 'http://localhost:6541/principals/';
    await hide('/a/', true).expect(200);
    assert.deepEqual(await listed(), { elements: [principals], count: 1 });
    assert.deepEqual(await listed(admin), { elements: ['http://localhost:6541/a/', principals], count: 2 });
    const sorted = await t.http.get('/?elements=paths&sort=creation_date').expect(200);
    assert.deepEqual(sorted.body.data[ids.pool].elements, [principals]);
    await t.http.get('/a/b/c/').set('X-User-Token', admin).expect(200);
    await hide('/a/', false).expect(200);
    assert.deepEqual(await listed(), { elements: ['http://localhost:6541/a/', principals], count: 2 });
    await t.http.get('/a/b/c/').expect(200);
  });

  it('reports a resource hidden or deleted as removed, and one made visible again as created', async () => {
    const url = (path: string) => `http://localhost:6541${path}`;
    const updated = async (path: string, fields: Record<string, unknown>) =>
      (await t.http.put(path).set('X-User-Token', admin).send({ data: { [ids.metadata]: fields } }).expect(200)).body.updated_resources;
    const around = { modified: [url('/a/')], changed_descendants: [url('/a/'), url('/')] };
    assert.deepEqual(await updated('/a/b/', { hidden: true }), { created: [], removed: [url('/a/b/')], ...around });
    // Still hidden, now also deleted: nothing appears or disappears.
    assert.deepEqual(await updated('/a/b/', { deleted: true }), { created: [], modified: [url('/a/b/')], removed: [], changed_descendants: around.changed_descendants });
    assert.deepEqual(await updated('/a/b/', { hidden: false }), { created: [], modified: [url('/a/b/')], removed: [], changed_descendants: around.changed_descendants });
    assert.deepEqual(await updated('/a/b/', { deleted: false }), { created: [url('/a/b/')], removed: [], ...around });
    assert.deepEqual(await updated('/a/b/', { deleted: true }), { created: [], removed: [url('/a/b/')], ...around });
  });

  it('removes a subtree for good with DELETE, with the names and counts it held', async () => {
    const response = await t.http.delete('/a/').set('X-User-Token', admin).expect(200);
    assert.deepEqual(response.body.updated_resources.removed, [
      'http://localhost:6541/a/',
      'http://localhost:6541/a/b/',
      'http://localhost:6541/a/b/c/',
    ]);
    await t.http.get('/a/b/').expect(404);
    const root = await t.http.get('/').expect(200);
    assert.equal(root.body.data[ids.pool].count, 1); // /principals/ is left
    // The name is free again.
    await t.http.post('/').set('X-User-Token', admin).send({ content_type: ids.basicPool, data: { [ids.name]: { name: 'a' } } }).expect(200);
    const again = await t.http.get('/a/').expect(200);
    assert.deepEqual(again.body.data[ids.pool], { elements: [], count: 0 });
  });

  it('ends the sessions of a deleted account and frees its email, but keeps its name from others', async () => {
    const eve = await registerAndLogIn(t.http, 'Eve');
    await t.http.get('/').set('X-User-Token', eve.token).expect(200);
    await t.http.delete(new URL(eve.path).pathname).set('X-User-Token', admin).expect(200);
    await t.http.get('/').set('X-User-Token', eve.token).expect(400);
    const again = await t.http.post('/principals/users').send(registrationBody('Eve', 'other.eve@example.org')).expect(400);
    assert.equal(again.body.errors[0].code, 'not_unique');
    await registerAndLogIn(t.http, 'Eve Two', 'eve@example.org');
  });
});
