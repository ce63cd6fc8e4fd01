// Unique names under racing renames and registrations, round after round, on every store: never two holders, never an unclaimed name.
import assert from 'node:assert/strict';
import { normalizeUnique } from '../../src/model/unique-values.ts';
import { appStores } from '../support/backends.ts';
import { ids, registerAndLogIn, registrationBody, startTestApp, type TestApp } from '../support/test-app.ts';

const rounds = Number(process.env.UNIQUE_RACE_ROUNDS ?? 150);
const registrationEvery = 25;
const nameScope = 'user-name';

const stores = appStores('unique-race', rounds, 3);

for (const store of stores) {
  describe(`model/unique values racing on ${store.name}`, function () {
    this.timeout(300_000);
    let t: TestApp;
    let cleanUp: () => Promise<void>;
    before(async () => {
      const prepared = await store.options();
      cleanUp = prepared.cleanUp;
      t = await startTestApp({ ...prepared.options, env: { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin-password' } });
    });
    after(async () => {
      await t?.close();
      await cleanUp?.();
    });

    const rename = (user: { path: string; token: string }, name: string) =>
      t.http.put(new URL(user.path).pathname).set('X-User-Token', user.token).send({ data: { [ids.userBasic]: { name } } });
    const nameOf = async (userPath: string) => (await t.app.services.storage.readResource(userPath))?.data[ids.userBasic]?.name as string;

    it(`keeps every name with one holder and its claim through ${store.rounds} rounds of renames and registrations`, async () => {
      const u = await registerAndLogIn(t.http, 'u start', 'u@example.org');
      const v = await registerAndLogIn(t.http, 'v start', 'v@example.org');
      const users = [u, v].map((user) => new URL(user.path).pathname);
      const problems: string[] = [];
      for (let round = 0; round < store.rounds; round += 1) {
        const a = `a${round}`;
        const b = `b${round}`;
        await rename(u, a).expect(200);
        await rename(v, `v${round}`).expect(200);
        const racers = [rename(u, b), rename(u, a), rename(v, a), rename(v, b)];
        if (round % registrationEvery === 0) {
          racers.push(t.http.post('/principals/users').send(registrationBody(a, `w${round}@example.org`)));
        }
        const answers = await Promise.all(racers.map((request) => request.then((response) => response)));
        for (const answer of answers) {
          if (answer.status !== 200 && answer.status !== 400) problems.push(`round ${round}: ${answer.status} ${answer.text}`);
        }
        const registered = answers[4]?.status === 200 ? [new URL(answers[4].body.path).pathname] : [];
        const holders = new Map<string, string>();
        for (const user of [...users, ...registered]) {
          const name = await nameOf(user);
          const key = normalizeUnique(name, 'skeleton');
          if (holders.has(key)) problems.push(`round ${round}: ${name} is held by ${holders.get(key)} and ${user}`);
          holders.set(key, user);
          const claim = await t.app.services.storage.readUniqueClaim(nameScope, key);
          if (claim?.owner !== user) problems.push(`round ${round}: ${name} of ${user} is claimed by ${claim?.owner ?? 'nobody'}`);
        }
        for (const user of registered) {
          // Out of the way of the next rounds.
          await t.http.put(user).set('X-User-Token', await adminToken()).send({ data: { [ids.userBasic]: { name: `w${round}` } } }).expect(200);
        }
        if (problems.length > 0) break;
      }
      assert.deepEqual(problems, []);
    });

    it(`gives an address to one of two accounts changing to it and a registration racing them, through ${Math.ceil(store.rounds / 5)} rounds`, async () => {
      const emailScope = 'user-email';
      const u = await registerAndLogIn(t.http, 'mail u', 'mail-u@example.org');
      const v = await registerAndLogIn(t.http, 'mail v', 'mail-v@example.org');
      const change = (user: { path: string; token: string }, email: string) =>
        t.http.put(new URL(user.path).pathname).set('X-User-Token', user.token).set('X-User-Password', 'EckVocUbs3').send({ data: { [ids.userExtended]: { email } } });
      const problems: string[] = [];
      for (let round = 0; round < Math.ceil(store.rounds / 5); round += 1) {
        const email = `held${round}@example.org`;
        const answers = await Promise.all([change(u, email), change(v, email), t.http.post('/principals/users').send(registrationBody(`held ${round}`, email))]);
        const winners = answers.flatMap((answer, index) => (answer.status === 200 ? [index] : []));
        if (winners.length !== 1) problems.push(`round ${round}: ${winners.length} requests got ${email}: ${answers.map((answer) => answer.status).join(', ')}`);
        const owner = [new URL(u.path).pathname, new URL(v.path).pathname, answers[2]?.status === 200 ? new URL(answers[2].body.path).pathname : undefined][winners[0] ?? -1];
        const claim = await t.app.services.storage.readUniqueClaim(emailScope, email);
        if (claim?.owner !== owner) problems.push(`round ${round}: ${email} went to ${owner} but is claimed by ${claim?.owner ?? 'nobody'}`);
        if (problems.length > 0) break;
      }
      assert.deepEqual(problems, []);
    });

    let cachedAdminToken: string | undefined;
    async function adminToken(): Promise<string> {
      cachedAdminToken ??= (await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200)).body.user_token as string;
      return cachedAdminToken;
    }
  });
}
