// Who hears of what: events only about what the connection's user may see, checked again as permissions, roles and sessions change.
import assert from 'node:assert/strict';
import type { LiveClient, Message } from '../support/live-client.ts';
import { startLiveApp, url, type LiveApp } from '../support/live-app.ts';
import { ids, registerAndLogIn } from '../support/test-app.ts';

const aclSheet = 'adhocracy_core.sheets.acl.IAcl';
const withoutSeq = (messages: Message[]) => messages.map(({ seq: _seq, ...rest }) => rest);

describe('live/authorization', () => {
  let live: LiveApp;
  let anna: { path: string; token: string };
  const as = (request: ReturnType<LiveApp['t']['http']['post']>, token = live.adminToken) => request.set('X-User-Token', token);
  const createPool = (parent: string, name: string, extra: Record<string, unknown> = {}) =>
    as(live.t.http.post(parent)).send({ content_type: ids.basicPool, data: { [ids.name]: { name }, ...extra } }).expect(200);
  const touch = (path: string) => as(live.t.http.put(path)).send({ data: { [ids.metadata]: { hidden: false } } }).expect(200);
  async function subscribe(client: LiveClient, ...resources: string[]) {
    for (const resource of resources) client.send({ action: 'subscribe', resource });
    const answers = await client.take(resources.length);
    assert.ok(answers.every((answer) => answer.status === 'ok'), JSON.stringify(answers));
  }

  beforeEach(async () => {
    live = await startLiveApp({ env: { TOKEN_IDLE_SECONDS: '600' } });
    await createPool('/', 'p');
    await createPool('/p/', 'c');
    await createPool('/', 'q');
    const registered = await registerAndLogIn(live.t.http, 'Anna');
    anna = { token: registered.token, path: new URL(registered.path).pathname };
  });
  afterEach(async () => {
    await live.close();
  });

  it('announces a new child only to those who may see it', async () => {
    const annaSocket = await live.connect(anna.token);
    const adminSocket = await live.connect(live.adminToken);
    await subscribe(annaSocket, '/p/');
    await subscribe(adminSocket, '/p/');
    await createPool('/p/', 'secret', { [aclSheet]: { acl: { view: ['admin'] } } });
    await createPool('/p/', 'open');
    const forAdmin = withoutSeq(await adminSocket.take(6));
    assert.deepEqual(forAdmin.slice(0, 1), [{ event: 'new_child', resource: url('/p/'), child: url('/p/secret/') }]);
    assert.deepEqual(forAdmin[3], { event: 'new_child', resource: url('/p/'), child: url('/p/open/') });
    assert.deepEqual(withoutSeq(await annaSocket.take(5)), [
      { event: 'modified', resource: url('/p/') },
      { event: 'changed_descendants', resource: url('/p/') },
      { event: 'new_child', resource: url('/p/'), child: url('/p/open/') },
      { event: 'modified', resource: url('/p/') },
      { event: 'changed_descendants', resource: url('/p/') },
    ]);
  });

  it('tells those who may no longer see a pool that was restricted that it and what they followed below it were removed, and nothing more', async () => {
    const annaSocket = await live.connect(anna.token);
    const adminSocket = await live.connect(live.adminToken);
    await subscribe(annaSocket, '/p/', '/p/c/', '/q/');
    await subscribe(adminSocket, '/p/');
    await as(live.t.http.put('/p/')).send({ data: { [aclSheet]: { acl: { view: ['admin'] } } } }).expect(200);
    assert.deepEqual(withoutSeq(await adminSocket.take(1)), [{ event: 'modified', resource: url('/p/') }]);
    await touch('/p/c/');
    await createPool('/p/', 'd');
    await touch('/q/');
    assert.deepEqual(withoutSeq(await annaSocket.take(3)), [
      { event: 'removed', resource: url('/p/') },
      { event: 'removed', resource: url('/p/c/') },
      { event: 'modified', resource: url('/q/') },
    ]);
    assert.deepEqual(withoutSeq(await adminSocket.take(5)), [
      { event: 'modified_child', resource: url('/p/'), child: url('/p/c/') },
      { event: 'changed_descendants', resource: url('/p/') },
      { event: 'new_child', resource: url('/p/'), child: url('/p/d/') },
      { event: 'modified', resource: url('/p/') },
      { event: 'changed_descendants', resource: url('/p/') },
    ]);
    annaSocket.send({ action: 'subscribe', resource: '/p/' });
    assert.deepEqual(await annaSocket.next(), { error: 'unknown_resource', details: '/p/' });
  });

  it('tells a user who lost the role that let it see a pool that the pool was removed', async () => {
    await as(live.t.http.put('/p/')).send({ data: { [aclSheet]: { acl: { view: ['editor', 'admin'] } } } }).expect(200);
    await as(live.t.http.put(anna.path)).send({ data: { [ids.permissions]: { roles: ['editor'] } } }).expect(200);
    const annaSocket = await live.connect(anna.token);
    await subscribe(annaSocket, '/p/', '/q/');
    await as(live.t.http.put(anna.path)).send({ data: { [ids.permissions]: { roles: [] } } }).expect(200);
    await touch('/p/');
    await touch('/q/');
    assert.deepEqual(withoutSeq(await annaSocket.take(2)), [
      { event: 'removed', resource: url('/p/') },
      { event: 'modified', resource: url('/q/') },
    ]);
  });

  it('tells the members of a group that lost the role that let them see a pool that the pool was removed', async () => {
    await as(live.t.http.put('/p/')).send({ data: { [aclSheet]: { acl: { view: ['editor', 'admin'] } } } }).expect(200);
    await as(live.t.http.post('/principals/groups/'))
      .send({ content_type: 'adhocracy_core.resources.principal.IGroup', data: { [ids.name]: { name: 'editors' }, 'adhocracy_core.sheets.principal.IGroup': { roles: ['editor'] } } })
      .expect(200);
    await as(live.t.http.put(anna.path)).send({ data: { [ids.permissions]: { groups: ['/principals/groups/editors/'] } } }).expect(200);
    const annaSocket = await live.connect(anna.token);
    await subscribe(annaSocket, '/p/', '/q/');
    await as(live.t.http.put('/principals/groups/editors/')).send({ data: { 'adhocracy_core.sheets.principal.IGroup': { roles: [] } } }).expect(200);
    await touch('/q/');
    assert.deepEqual(withoutSeq(await annaSocket.take(2)), [
      { event: 'removed', resource: url('/p/') },
      { event: 'modified', resource: url('/q/') },
    ]);
  });

  it('tells every connection of a session that a logout ended it, and serves them on as anonymous', async () => {
    await as(live.t.http.put('/p/')).send({ data: { [aclSheet]: { acl: { view: ['authenticated'] } } } }).expect(200);
    const tabs = [await live.connect(anna.token), await live.connect(anna.token)];
    const second = await live.t.http.post('/login_username').send({ name: 'Anna', password: 'EckVocUbs3' }).expect(200);
    const otherDevice = await live.connect(second.body.user_token as string);
    for (const socket of [...tabs, otherDevice]) await subscribe(socket, '/p/', '/q/');
    await as(live.t.http.post('/logout'), anna.token).send({}).expect(200);
    for (const tab of tabs) {
      const [ended, removed] = await tab.take(2);
      assert.equal(ended?.event, 'session_ended');
      assert.ok(ended?.seq !== undefined);
      assert.deepEqual(withoutSeq([removed as Message]), [{ event: 'removed', resource: url('/p/') }]);
    }
    await touch('/q/');
    assert.deepEqual(withoutSeq([await otherDevice.next()]), [{ event: 'modified', resource: url('/q/') }]);
    const [tab] = tabs as [LiveClient];
    assert.deepEqual(withoutSeq([await tab.next()]), [{ event: 'modified', resource: url('/q/') }]);
    tab.send({ action: 'subscribe', resource: '/p/' });
    tab.send({ action: 'authenticate', token: anna.token });
    assert.deepEqual(await tab.take(2), [
      { error: 'unknown_resource', details: '/p/' },
      { error: 'invalid_token', details: 'Invalid user token' },
    ]);
  });

  it('ends the other sessions of a user who changed the password, and keeps the one that changed it', async () => {
    const other = await live.t.http.post('/login_username').send({ name: 'Anna', password: 'EckVocUbs3' }).expect(200);
    const changing = await live.connect(anna.token);
    const ended = await live.connect(other.body.user_token as string);
    await subscribe(changing, '/q/');
    await subscribe(ended, '/q/');
    await as(live.t.http.put(anna.path), anna.token)
      .set('X-User-Password', 'EckVocUbs3')
      .send({ data: { [ids.password]: { password: 'a new password' } } })
      .expect(200);
    assert.equal((await ended.next()).event, 'session_ended');
    await touch('/q/');
    assert.deepEqual(withoutSeq([await changing.next()]), [{ event: 'modified', resource: url('/q/') }]);
    assert.deepEqual(withoutSeq([await ended.next()]), [{ event: 'modified', resource: url('/q/') }]);
  });

  it('ends a session that expired, before answering the next message', async () => {
    const socket = await live.connect(anna.token);
    live.t.clock.advance(601_000);
    socket.send({ action: 'subscribe', resource: '/q/' });
    const [ended, answer] = await socket.take(2);
    assert.equal(ended?.event, 'session_ended');
    assert.deepEqual(answer, { status: 'ok', action: 'subscribe', resource: url('/q/') });
  });

  it('ends the sessions of a user who is hidden', async () => {
    const socket = await live.connect(anna.token);
    await as(live.t.http.put(anna.path)).send({ data: { [ids.metadata]: { hidden: true } } }).expect(200);
    assert.equal((await socket.next()).event, 'session_ended');
  });
});
