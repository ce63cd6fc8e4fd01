// The typed client against a real server over HTTP: logging in and out, its session, resources by sheet id, pool queries, typed errors.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AdhocracyClient,
  AdhocracyError,
  InvalidTokenError,
  NotUniqueError,
  PasswordRequiredError,
  ProtocolError,
  sheetOf,
  WrongCredentialsError,
  type Session,
  type SessionStore,
} from '../../src/client/index.ts';
import { startListeningApp, type ListeningApp } from './listening-app.ts';

const ids = {
  user: 'adhocracy_core.resources.principal.IUser',
  basicPool: 'adhocracy_core.resources.pool.IBasicPool',
  userBasic: 'adhocracy_core.sheets.principal.IUserBasic',
  userExtended: 'adhocracy_core.sheets.principal.IUserExtended',
  password: 'adhocracy_core.sheets.principal.IPasswordAuthentication',
  name: 'adhocracy_core.sheets.name.IName',
  title: 'adhocracy_core.sheets.title.ITitle',
} as const;

function keptIn(): SessionStore & { kept: Session | undefined } {
  const store = { kept: undefined as Session | undefined, load: () => store.kept, save: (session: Session | undefined) => void (store.kept = session) };
  return store;
}

describe('client', () => {
  let server: ListeningApp;
  let client: AdhocracyClient;
  const admin = { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin password' };

  before(async () => {
    server = await startListeningApp({ env: admin });
    client = new AdhocracyClient({ baseUrl: server.baseUrl });
    await client.create('/principals/users/', ids.user, {
      [ids.userBasic]: { name: 'Anna' },
      [ids.userExtended]: { email: 'anna@example.org' },
      [ids.password]: { password: 'EckVocUbs3' },
    });
  });
  after(() => server.close());

  it('logs in by name and by email, keeping the token and when it dies', async () => {
    const byName = await client.loginWithName('Anna', 'EckVocUbs3');
    assert.match(byName.userPath, /^http:\/\/127\.0\.0\.1:\d+\/principals\/users\/\d+\/$/);
    assert.equal(typeof byName.token, 'string');
    assert.equal(Date.parse(byName.idleExpiresAt) - server.test.clock.now(), 3 * 3600 * 1000);
    assert.equal(Date.parse(byName.expiresAt) - server.test.clock.now(), 30 * 24 * 3600 * 1000);
    assert.deepEqual(client.session, byName);
    const byEmail = await client.loginWithEmail('anna@example.org', 'EckVocUbs3');
    assert.notEqual(byEmail.token, byName.token);
    // The token is sent: Anna reads her own email address, which nobody else may.
    const me = await client.get(byEmail.userPath);
    assert.equal(me.content_type, ids.user);
    assert.equal(sheetOf(me, ids.userExtended)?.email, 'anna@example.org');
    assert.equal((await client.sessions()).length, 2);
  });

  it('throws an error class per code: wrong credentials, a name taken, a change without the current password', async () => {
    const stranger = new AdhocracyClient({ baseUrl: server.baseUrl });
    const wrong = await stranger.loginWithName('Anna', 'not her password').catch((error: unknown) => error);
    assert.ok(wrong instanceof WrongCredentialsError && wrong instanceof AdhocracyError, String(wrong));
    assert.equal(wrong.status, 400);
    assert.equal(wrong.code, 'wrong_credentials');
    assert.equal(stranger.session, undefined);

    const taken = await stranger
      .create('/principals/users/', ids.user, { [ids.userBasic]: { name: 'anna' }, [ids.userExtended]: { email: 'other@example.org' }, [ids.password]: { password: 'EckVocUbs3' } })
      .catch((error: unknown) => error);
    assert.ok(taken instanceof NotUniqueError, String(taken));
    assert.equal(taken.errors[0]?.name, `data.${ids.userBasic}.name`);

    const session = await client.loginWithName('Anna', 'EckVocUbs3');
    const unguarded = await client.update(session.userPath, ids.user, { [ids.password]: { password: 'a new password' } }).catch((error: unknown) => error);
    assert.ok(unguarded instanceof PasswordRequiredError, String(unguarded));
  });

  it('throws a ProtocolError for an answer that is not the API\'s, and for none at all', async () => {
    const proxy = createServer((_request, response) => response.writeHead(502, { 'Content-Type': 'text/html' }).end('<h1>Bad Gateway</h1>'));
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const address = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const html = await new AdhocracyClient({ baseUrl: address }).get('/').catch((error: unknown) => error);
      assert.ok(html instanceof ProtocolError, String(html));
      assert.equal(html.status, 502);
      assert.equal(html.body, '<h1>Bad Gateway</h1>');
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
    const none = await new AdhocracyClient({ baseUrl: address }).get('/').catch((error: unknown) => error);
    assert.ok(none instanceof ProtocolError, String(none));
    assert.equal(none.status, 0);
  });

  it('ends the session on logout, and where the server says the token is invalid', async () => {
    const store = keptIn();
    let ended = 0;
    const first = new AdhocracyClient({ baseUrl: server.baseUrl, sessionStore: store, onSessionEnd: () => ended++ });
    const session = await first.loginWithName('Anna', 'EckVocUbs3');
    // A second client on the same token, as a second tab of the same app would be.
    const copy = keptIn();
    copy.kept = { ...session };
    const second = new AdhocracyClient({ baseUrl: server.baseUrl, sessionStore: copy });
    assert.equal((await second.restoreSession())?.token, session.token);

    await first.logout();
    assert.equal(first.session, undefined);
    assert.equal(store.kept, undefined);
    assert.equal(ended, 1);
    const dead = await second.get(session.userPath).catch((error: unknown) => error);
    assert.ok(dead instanceof InvalidTokenError, String(dead));
    assert.equal(second.session, undefined);
    assert.equal(await second.restoreSession(), undefined);
  });

  it('ends the session when the token has died unused, as the server says, and restores one that lives with its new idle expiry', async () => {
    let ended = 0;
    const timed = new AdhocracyClient({ baseUrl: server.baseUrl, onSessionEnd: () => ended++ });
    const session = await timed.loginWithName('Anna', 'EckVocUbs3');
    server.test.clock.advance(2 * 3600 * 1000);
    const restored = await timed.restoreSession();
    assert.equal(Date.parse(restored?.idleExpiresAt ?? '') - Date.parse(session.idleExpiresAt), 2 * 3600 * 1000);
    assert.equal(restored?.expiresAt, session.expiresAt);
    server.test.clock.advance(3 * 3600 * 1000 + 1000);
    assert.ok(timed.session, 'the client does not guess by its own clock');
    const dead = await timed.get('/').catch((error: unknown) => error);
    assert.ok(dead instanceof InvalidTokenError, String(dead));
    assert.equal(timed.session, undefined);
    assert.equal(ended, 1);
  });

  it('creates, changes and queries resources by sheet id', async () => {
    const adminClient = new AdhocracyClient({ baseUrl: server.baseUrl });
    await adminClient.loginWithName('admin', 'admin password');
    for (const [name, title] of [['b', 'Bees'], ['a', 'Ants'], ['c', 'Cats']] as const) {
      await adminClient.create('/', ids.basicPool, { [ids.name]: { name }, [ids.title]: { title } });
    }
    const changed = await adminClient.update('/c/', ids.basicPool, { [ids.title]: { title: 'Cows' } });
    assert.deepEqual(changed.updated_resources.modified.includes(`${server.baseUrl}/c/`), true);

    const paths = await adminClient.query('/', { content_type: ids.basicPool, sort: 'name', reverse: true, limit: 2, count: true });
    assert.deepEqual(paths.elements, [`${server.baseUrl}/c/`, `${server.baseUrl}/b/`]);
    assert.equal(paths.count, 3);

    // The types come from the sheets: tsc refuses a field a sheet does not have, and a type with no such sheet.
    const mistyped = () => {
      // @ts-expect-error ITitle has no field `heading`
      void adminClient.update('/c/', ids.basicPool, { [ids.title]: { heading: 'Cows' } });
      // @ts-expect-error a pool has no IUserBasic
      void adminClient.create('/', ids.basicPool, { [ids.name]: { name: 'd' }, [ids.userBasic]: { name: 'd' } });
    };
    void mistyped;

    const content = await adminClient.query('/', { elements: 'content', content_type: ids.basicPool, filters: { name: ['any', ['a', 'c']] }, sort: 'name' });
    assert.deepEqual(content.elements.map((resource) => sheetOf(resource, ids.title)?.title), ['Ants', 'Cows']);
  });
});
