// The access rules on every path to the same data: listings, counts, aggregation, writes, sessions and principals.
import assert from 'node:assert/strict';
import { ids, registerAndLogIn, registrationBody, startTestApp, type TestApp } from '../support/test-app.ts';

const aclSheet = 'adhocracy_core.sheets.acl.IAcl';
const groupType = 'adhocracy_core.resources.principal.IGroup';
const groupSheet = 'adhocracy_core.sheets.principal.IGroup';
const base = 'http://localhost:6541';

describe('auth/every path', function () {
  this.timeout(60_000);
  let t: TestApp;
  let admin: string;

  beforeEach(async () => {
    t = await startTestApp({ env: { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin-password' } });
    admin = (await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200)).body.user_token;
  });
  afterEach(async () => {
    await t.close();
  });

  const as = <R extends { set(name: string, value: string): R }>(request: R, token: string | undefined) =>
    token === undefined ? request : request.set('X-User-Token', token);
  const createPool = (parent: string, name: string, title: string, extra: Record<string, unknown> = {}) =>
    t.http
      .post(parent)
      .set('X-User-Token', admin)
      .send({ content_type: ids.basicPool, data: { [ids.name]: { name }, [ids.title]: { title }, ...extra } })
      .expect(200);
  const giveRoles = async (userPath: string, roles: string[]) =>
    t.http.put(new URL(userPath).pathname).set('X-User-Token', admin).send({ data: { [ids.permissions]: { roles } } }).expect(200);

  /**
   * /open/ holds a pool only admins may view (with a secret below it), and a hidden pool (with a child
   * below it); /open/public/ is what everybody may see.
   */
  async function buildTree(): Promise<void> {
    await createPool('/', 'open', 'Open');
    await createPool('/open/', 'public', 'Public');
    await createPool('/open/', 'secret', 'Secret pool', { [aclSheet]: { acl: { view: ['admin'] } } });
    await createPool('/open/secret/', 'inner', 'SECRET BUDGET TITLE');
    await createPool('/open/secret/inner/', 'deeper', 'SECRET DEEPER');
    await createPool('/open/', 'gone', 'Hidden pool');
    await createPool('/open/gone/', 'kid', 'HIDDEN KID');
    await t.http.put('/open/gone/').set('X-User-Token', admin).send({ data: { [ids.metadata]: { hidden: true } } }).expect(200);
  }

  describe('queries below the first level', () => {
    const leaked = (text: string) => /SECRET|HIDDEN|\/secret\/|\/gone\//.test(text);

    it('list, count, aggregate and sort only what the caller may see through every pool on the way', async () => {
      await buildTree();
      const editor = await registerAndLogIn(t.http, 'Edith');
      await giveRoles(editor.path, ['editor']);
      for (const token of [undefined, editor.token]) {
        for (const query of [
          'depth=all&elements=content',
          'depth=2&elements=content',
          'depth=3&elements=paths',
          'depth=all&elements=paths&count=true',
          'depth=all&aggregateby=title&elements=omit&count=true',
          'depth=all&elements=content&sort=title',
          'depth=all&elements=paths&sort=title&reverse=true&limit=50',
          `depth=all&elements=paths&${encodeURIComponent(`${ids.title}:title`)}=${encodeURIComponent('SECRET BUDGET TITLE')}&count=true`,
        ]) {
          for (const pool of ['/', '/open/']) {
            const response = await as(t.http.get(`${pool}?${query}`), token).expect(200);
            assert.ok(!leaked(response.text), `${token ? 'editor' : 'anonymous'} GET ${pool}?${query} leaked: ${response.text}`);
            const listing = response.body.data[ids.pool];
            if (listing.count !== undefined && listing.elements.length > 0) assert.equal(listing.count, listing.elements.length, query);
          }
        }
        const counted = await as(t.http.get('/open/?depth=all&count=true&elements=paths'), token).expect(200);
        assert.deepEqual(counted.body.data[ids.pool], { elements: [`${base}/open/public/`], count: 1 });
      }
      const all = await as(t.http.get('/open/?depth=all&elements=paths&count=true'), admin).expect(200);
      assert.equal(all.body.data[ids.pool].count, 6);
    });

    it('list a restricted pool and what is below it to those it lets view', async () => {
      await buildTree();
      await t.http.put('/open/secret/').set('X-User-Token', admin).send({ data: { [aclSheet]: { acl: { view: ['moderator', 'admin'] } } } }).expect(200);
      const moderator = await registerAndLogIn(t.http, 'Mo');
      await giveRoles(moderator.path, ['moderator']);
      const response = await as(t.http.get('/open/?depth=all&elements=paths&count=true'), moderator.token).expect(200);
      assert.deepEqual(response.body.data[ids.pool].elements, [
        `${base}/open/public/`,
        `${base}/open/secret/`,
        `${base}/open/secret/inner/`,
        `${base}/open/secret/inner/deeper/`,
      ]);
      assert.equal(response.body.data[ids.pool].count, 4);
    });

    it('keep a view restriction on every level below it, even where a lower ACL would allow', async () => {
      await buildTree();
      await t.http.put('/open/secret/inner/').set('X-User-Token', admin).send({ data: { [aclSheet]: { acl: { view: ['everyone'] } } } }).expect(200);
      await t.http.get('/open/secret/inner/').expect(403);
      await t.http.get('/open/secret/inner/deeper/').expect(403);
      const response = await t.http.get('/?depth=all&elements=paths').expect(200);
      assert.ok(!leaked(response.text), response.text);
    });
  });

  describe('writes', () => {
    it('refuses a PUT to whoever may edit nothing here, and an empty one to everybody', async () => {
      const before = (await t.http.get('/principals/').expect(200)).body.data[ids.metadata];
      const anonymous = await t.http.put('/principals/').send({ data: {} }).expect(403);
      assert.equal(anonymous.body.errors[0].code, 'forbidden');
      await t.http.put('/principals/').send({ data: { [ids.metadata]: { hidden: true } } }).expect(403);
      const user = await registerAndLogIn(t.http, 'Paula');
      await t.http.put('/principals/').set('X-User-Token', user.token).send({ data: {} }).expect(403);
      const empty = await t.http.put('/principals/').set('X-User-Token', admin).send({ data: {} }).expect(400);
      assert.equal(empty.body.errors[0].name, 'data');
      const emptySheet = await t.http.put('/principals/').set('X-User-Token', admin).send({ data: { [ids.metadata]: {} } }).expect(400);
      assert.equal(emptySheet.body.errors[0].name, `data.${ids.metadata}`);
      const after = (await t.http.get('/principals/').expect(200)).body.data[ids.metadata];
      assert.deepEqual(after, before);
    });

    it('lets nobody do anything to or below a resource it may not view, and answers alike whether a name exists', async () => {
      await buildTree();
      const editor = await registerAndLogIn(t.http, 'Edith');
      await giveRoles(editor.path, ['editor']);
      const token = editor.token;
      await t.http.get('/open/secret/').set('X-User-Token', token).expect(403);
      await t.http.put('/open/secret/').set('X-User-Token', token).send({ data: { [ids.title]: { title: 'mine now' } } }).expect(403);
      await t.http.put('/open/secret/inner/').set('X-User-Token', token).send({ data: { [ids.title]: { title: 'mine now' } } }).expect(403);
      const taken = await t.http
        .post('/open/secret/')
        .set('X-User-Token', token)
        .send({ content_type: ids.basicPool, data: { [ids.name]: { name: 'inner' } } })
        .expect(403);
      const free = await t.http
        .post('/open/secret/')
        .set('X-User-Token', token)
        .send({ content_type: ids.basicPool, data: { [ids.name]: { name: 'nothing-here' } } })
        .expect(403);
      assert.deepEqual(taken.body, free.body);
      await t.http.delete('/open/secret/inner/').set('X-User-Token', token).expect(403);
      await t.http.options('/open/secret/').set('X-User-Token', token).expect(403);
      await t.http.options('/open/secret/inner/').set('X-User-Token', token).expect(403);
      const title = (await t.http.get('/open/secret/').set('X-User-Token', admin).expect(200)).body.data[ids.title].title;
      assert.equal(title, 'Secret pool');
      const children = await t.http.get('/open/secret/?elements=paths').set('X-User-Token', admin).expect(200);
      assert.deepEqual(children.body.data[ids.pool].elements, [`${base}/open/secret/inner/`]);
    });
  });

  describe('principals', () => {
    it('makes every user its own creator, whoever registered it', async () => {
      const registrar = await registerAndLogIn(t.http, 'Rita');
      const registered = await t.http.post('/principals/users').set('X-User-Token', registrar.token).send(registrationBody('Otto', 'otto@example.org')).expect(200);
      const otto = new URL(registered.body.path).pathname;
      const metadata = (await t.http.get(otto).expect(200)).body.data[ids.metadata];
      assert.equal(metadata.creator, registered.body.path);
      await t.http.put(otto).set('X-User-Token', registrar.token).send({ data: { [ids.metadata]: { deleted: true } } }).expect(403);
      const ottoToken = (await t.http.post('/login_username').send({ name: 'Otto', password: 'EckVocUbs3' }).expect(200)).body.user_token;
      await t.http.get(otto).set('X-User-Token', ottoToken).expect(200);
    });

    it('lets a hidden or deleted user neither log in nor act, at once', async () => {
      await createPool('/', 'space', 'Space');
      for (const flag of ['hidden', 'deleted']) {
        const user = await registerAndLogIn(t.http, `Hanna ${flag}`);
        await giveRoles(user.path, ['moderator']);
        await t.http.get('/').set('X-User-Token', user.token).expect(200);
        await t.http.put(new URL(user.path).pathname).set('X-User-Token', admin).send({ data: { [ids.metadata]: { [flag]: true } } }).expect(200);
        await t.http.get('/').set('X-User-Token', user.token).expect(400);
        await t.http.put('/space/').set('X-User-Token', user.token).send({ data: { [ids.metadata]: { hidden: true } } }).expect(400);
        const login = await t.http.post('/login_username').send({ name: `Hanna ${flag}`, password: 'EckVocUbs3' }).expect(400);
        assert.equal(login.body.errors[0].code, 'wrong_credentials');
      }
      await t.http.get('/space/').expect(200);
    });

    it('lets a hidden or deleted group grant nothing, and no new group inherit the members of a removed one', async () => {
      const member = await registerAndLogIn(t.http, 'Gina');
      const group = await t.http
        .post('/principals/groups/')
        .set('X-User-Token', admin)
        .send({ content_type: groupType, data: { [ids.name]: { name: 'staff' }, [groupSheet]: { roles: ['admin'] } } })
        .expect(200);
      const groupPath = new URL(group.body.path).pathname;
      await t.http.put(new URL(member.path).pathname).set('X-User-Token', admin).send({ data: { [ids.permissions]: { groups: [group.body.path] } } }).expect(200);
      const adminPath = (await t.http.get(`/principals/users/?elements=paths&${encodeURIComponent(`${ids.userBasic}:name`)}=admin`).expect(200)).body.data[ids.pool].elements[0];
      const readsAdminEmail = async () => {
        const response = await t.http.get(new URL(adminPath).pathname).set('X-User-Token', member.token).expect(200);
        return ids.userExtended in response.body.data;
      };
      assert.equal(await readsAdminEmail(), true);
      for (const flag of ['hidden', 'deleted']) {
        await t.http.put(groupPath).set('X-User-Token', admin).send({ data: { [ids.metadata]: { [flag]: true } } }).expect(200);
        assert.equal(await readsAdminEmail(), false, `a ${flag} group`);
        await t.http.put(groupPath).set('X-User-Token', admin).send({ data: { [ids.metadata]: { [flag]: false } } }).expect(200);
        assert.equal(await readsAdminEmail(), true);
      }
      await t.http.delete(groupPath).set('X-User-Token', admin).expect(200);
      assert.equal(await readsAdminEmail(), false);
      const again = await t.http
        .post('/principals/groups/')
        .set('X-User-Token', admin)
        .send({ content_type: groupType, data: { [ids.name]: { name: 'staff' }, [groupSheet]: { roles: ['admin'] } } });
      if (again.status === 200) {
        assert.equal(await readsAdminEmail(), false);
        const permissions = (await t.http.get(new URL(member.path).pathname).set('X-User-Token', member.token).expect(200)).body.data[ids.permissions];
        assert.deepEqual(permissions.groups, []);
      } else {
        assert.equal(again.status, 400);
      }
    });
  });
});
