// The configured admin at start-up: created once, and never in the way of a later start.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureAdmin } from '../src/bootstrap.ts';
import { createLogger } from '../src/log.ts';
import { ids, registrationBody, startTestApp, type TestApp } from './support/test-app.ts';

const admin = { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin-password' };

describe('bootstrap/the configured admin', () => {
  let directory: string;
  let t: TestApp | undefined;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'bootstrap-'));
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    await rm(directory, { recursive: true, force: true });
  });

  /** Starts on the directory with ADMIN_* set, answering the app and the events it logged. */
  async function startWithAdmin(): Promise<{ app: TestApp; events: Record<string, unknown>[] }> {
    const events: Record<string, unknown>[] = [];
    const app = await startTestApp({ directory, env: admin, log: createLogger((line) => events.push(JSON.parse(line))) });
    return { app, events };
  }

  const usersCount = async (app: TestApp) => (await app.http.get('/principals/users/').expect(200)).body.data[ids.pool].count as number;

  it('starts again after the admin renamed itself, and creates no second admin', async () => {
    const first = await startWithAdmin();
    t = first.app;
    assert.ok(first.events.some((event) => event.event === 'admin_created'));
    const login = await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200);
    await t.http.put(new URL(login.body.user_path).pathname).set('X-User-Token', login.body.user_token).send({ data: { [ids.userBasic]: { name: 'Chief' } } }).expect(200);
    await t.close();
    t = undefined;

    const second = await startWithAdmin();
    t = second.app;
    assert.equal(await usersCount(t), 1);
    const again = await t.http.post('/login_username').send({ name: 'Chief', password: 'admin-password' }).expect(200);
    assert.equal(again.body.user_path, login.body.user_path);
    const exists = second.events.find((event) => event.event === 'admin_exists');
    assert.deepEqual(exists?.accounts, [new URL(login.body.user_path).pathname]);
    assert.ok(!second.events.some((event) => event.event === 'admin_created'));
  });

  it('starts when another user holds the admin email, and gives that user no rights', async () => {
    t = await startTestApp({ directory });
    const registered = await t.http.post('/principals/users').send(registrationBody('Someone', 'ADMIN@example.org')).expect(200);
    await t.close();
    t = undefined;

    const started = await startWithAdmin();
    t = started.app;
    assert.equal(await usersCount(t), 1);
    assert.ok(started.events.some((event) => event.event === 'admin_exists'));
    const someone = await t.http.post('/login_username').send({ name: 'Someone', password: 'EckVocUbs3' }).expect(200);
    const seen = await t.http.get(new URL(registered.body.path).pathname).set('X-User-Token', someone.body.user_token).expect(200);
    assert.deepEqual(seen.body.data[ids.permissions].roles, []);
    await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(400);
  });

  it('creates one admin when several processes start at once', async () => {
    t = await startTestApp({ directory });
    const { services } = t.app;
    for (let round = 0; round < 10; round += 1) {
      const events: string[] = [];
      const log = createLogger((line) => events.push(JSON.parse(line).event));
      const configured = { name: `admin ${round}`, email: `admin${round}@example.org`, password: 'admin-password' };
      await Promise.all([1, 2, 3].map(() => ensureAdmin({ ...services, log, passwordPolicy: services.config.password, admin: configured })));
      assert.deepEqual(events.sort(), ['admin_created', 'admin_exists', 'admin_exists'], `round ${round}`);
    }
    assert.equal(await usersCount(t), 10);
  });
});

describe('bootstrap/the initial tree', () => {
  it('gives the root its empty name, also in a store written before the root had IName', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'bootstrap-'));
    try {
      const first = await startTestApp({ directory });
      assert.deepEqual((await first.http.get('/').expect(200)).body.data[ids.name], { name: '' });
      // What a store of an earlier version holds: a root without IName.
      const stored = await first.app.services.storage.readResource('/');
      assert.ok(stored);
      const data = Object.fromEntries(Object.entries(stored.data).filter(([sheet]) => sheet !== ids.name));
      await first.app.services.storage.replaceResource({ ...stored, data });
      assert.deepEqual((await first.http.get('/').expect(200)).body.data[ids.name], {});
      await first.close();
      const second = await startTestApp({ directory });
      assert.deepEqual((await second.http.get('/').expect(200)).body.data[ids.name], { name: '' });
      await second.close();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
