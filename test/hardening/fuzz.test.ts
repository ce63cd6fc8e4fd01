// Generated bad input against every public endpoint: only 2xx or 4xx in the envelope, no secret in any answer, nothing invalid stored.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { ids, registrationBody, startTestApp, type TestApp } from '../support/test-app.ts';
import { exchangeProblem, StatusTally } from './answers.ts';
import { bodyBytes, bodyRequest, headerNoise, lookAlike, methods, mutated, nastyHeaderValue, nastyString, nastyTree, pathTarget, queryString, type GeneratedRequest } from './generators.ts';
import { listenOn, type Listening } from './listen.ts';
import { buildRawRequest, sendRaw } from './raw-http.ts';
import { findStoreViolations } from './store-rules.ts';

/** Cases per endpoint: a few hundred in `npm test`, FUZZ_RUNS=10000 in `npm run test:slow`. */
const runs = Number(process.env.FUZZ_RUNS ?? 200);
/** FUZZ_SEED repeats a run; each endpoint's property uses seed + its index, printed on failure by fast-check too. */
const seed = Number(process.env.FUZZ_SEED ?? randomBytes(4).readUInt32BE() >>> 1);

const adminPassword = `admin ${randomBytes(12).toString('hex')}`;
const userPassword = `user ${randomBytes(12).toString('hex')}`;
const description = 'adhocracy_core.sheets.description.IDescription';

describe('hardening/generated bad input', function () {
  this.timeout(120_000 + runs * 250);
  let t: TestApp;
  let server: Listening;
  let adminToken: string;
  let userToken: string;
  let userPath: string;
  let revokedToken: string;
  const tally = new StatusTally();
  const pools = ['/fuzz/', '/fuzz/inner/'];

  before(async () => {
    t = await startTestApp({
      env: {
        ADMIN_NAME: 'admin',
        ADMIN_EMAIL: 'admin@example.org',
        ADMIN_PASSWORD: adminPassword,
        BODY_LIMIT_BYTES: '65536',
        // Logins from the one test address must keep reaching the password check, not the lock.
        LOCKOUT_ADDRESS_FAILURES: '100000',
        // Reset requests likewise keep reaching the stored mail, not the rate limit.
        RESET_REQUESTS_PER_ADDRESS: '1000000',
        RESET_REQUESTS_PER_EMAIL: '1000000',
      },
    });
    server = await listenOn(t);
    adminToken = (await t.http.post('/login_username').send({ name: 'admin', password: adminPassword }).expect(200)).body.user_token;
    for (const pool of pools) {
      const [parent, name] = [pool.replace(/[^/]+\/$/, ''), pool.split('/').at(-2) as string];
      await t.http.post(parent).set('X-User-Token', adminToken).send({ content_type: ids.basicPool, data: { [ids.name]: { name } } }).expect(200);
    }
    userPath = new URL((await t.http.post('/principals/users').send(registrationBody('Fuzz User', 'fuzz@example.org', userPassword)).expect(200)).body.path).pathname;
    userToken = (await t.http.post('/login_username').send({ name: 'Fuzz User', password: userPassword }).expect(200)).body.user_token;
    revokedToken = (await t.http.post('/login_username').send({ name: 'Fuzz User', password: userPassword }).expect(200)).body.user_token;
    await t.http.post('/logout').set('X-User-Token', revokedToken).expect(200);
  });

  after(async () => {
    console.log(`      fuzz seed ${seed} (FUZZ_SEED=${seed} repeats it), ${runs} cases per endpoint, 5xx: ${tally.fiveHundreds()}`);
    console.log(tally.summary().replace(/^/gm, '      '));
    await server?.close();
    await t?.close();
  });

  /** Tokens as a client might send them: its own, none, another's, a revoked one, a damaged one, garbage. */
  const token = (own: () => string) =>
    fc.oneof(
      { weight: 8, arbitrary: fc.constant<string | Buffer | undefined>(undefined).map(() => own()) },
      { weight: 2, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom(0, 1, 2).map((which) => [() => userToken, () => revokedToken, () => `${own().slice(0, -1)}A`][which]?.()) },
      { weight: 1, arbitrary: nastyHeaderValue },
    );

  const withHeader = (name: string, value: string | Buffer | undefined): [string, string | Buffer][] => (value === undefined ? [] : [[name, value]]);

  /** Sends one generated request and checks its answers; the property fails with the request and the answer. */
  async function exchange(endpoint: string, request: GeneratedRequest): Promise<void> {
    const result = await sendRaw(server.port, buildRawRequest(request), {
      endAfterWrite: request.endsEarly,
      halfCloseAfterMs: 3_000,
      timeoutMs: 8_000,
      method: request.method,
    });
    tally.record(endpoint, result);
    const problem = exchangeProblem(result, {
      secrets: [adminPassword, userPassword, adminToken, userToken],
      mayGoUnanswered: request.endsEarly,
      method: request.method,
    });
    if (problem) {
      const shown = Buffer.from(buildRawRequest(request)).toString('latin1').slice(0, 600);
      throw new Error(`${endpoint}: ${problem}\nrequest (${request.framing}):\n${shown}`);
    }
  }

  async function checkProperty(index: number, endpoint: string, requests: fc.Arbitrary<GeneratedRequest>): Promise<void> {
    try {
      await fc.assert(fc.asyncProperty(requests, (request) => exchange(endpoint, request)), { numRuns: runs, seed: seed + index, endOnFailure: true });
    } catch (error) {
      // fast-check prints the counterexample in full, which for a 300 kB body buries the seed and the cause.
      const message = error instanceof Error ? error.message : String(error);
      const cause = error instanceof Error && error.cause instanceof Error ? `${error.cause.message}\n\n` : '';
      throw new Error(`${cause}${message.length > 2000 ? `${message.slice(0, 2000)}…` : message}\n(FUZZ_SEED=${seed} FUZZ_RUNS=${runs} repeats the run)`);
    }
    assert.deepEqual(await findStoreViolations(t.app.services), [], 'the store holds something no request should have stored');
  }

  // Mostly valid values, so that many requests get past the first check and the deeper ones are reached.
  const plausibleName = fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8})?$/) },
    { weight: 1, arbitrary: fc.constantFrom('Fuzz User', 'fuzz user', 'ＦＵＺＺ ＵＳＥＲ', 'Fuzz\u00a0User', 'admin', 'ADMIN', 'Ádmin', 'A\u0301dmin') },
    // Names that look like the registered ones: confusable letters, other cases, invisible characters.
    { weight: 2, arbitrary: fc.oneof(lookAlike('Fuzz User'), lookAlike('admin')) },
    { weight: 2, arbitrary: nastyString },
  );
  const plausibleEmail = fc.oneof(
    { weight: 4, arbitrary: fc.emailAddress() },
    { weight: 1, arbitrary: fc.constantFrom('fuzz@example.org', 'FUZZ@example.org', 'admin@EXAMPLE.org', 'a@b', 'a@@b.de', 'ü@ü.de', 'a@b.de\n') },
    { weight: 2, arbitrary: nastyString },
  );
  const plausiblePassword = fc.oneof({ weight: 3, arbitrary: fc.string({ minLength: 8, maxLength: 20 }) }, { weight: 1, arbitrary: nastyString });

  it('answers generated registrations in the envelope and stores only valid, unique users', async () => {
    const body = mutated(fc.tuple(plausibleName, plausibleEmail, plausiblePassword).map(([name, email, password]) => registrationBody(name, email, password)));
    await checkProperty(0, 'POST /principals/users', bodyRequest({
      method: fc.constant('POST'),
      target: fc.constantFrom('/principals/users', '/principals/users/'),
      body: bodyBytes(body),
      headers: token(() => adminToken).map((value) => withHeader('X-User-Token', value === adminToken ? undefined : value)),
    }));
  });

  it('answers generated logins by name in the envelope', async () => {
    const body = mutated(fc.record({ name: plausibleName, password: fc.oneof(fc.constant(userPassword), plausiblePassword) }));
    await checkProperty(1, 'POST /login_username', bodyRequest({
      method: fc.constant('POST'),
      target: fc.constant('/login_username'),
      body: bodyBytes(body),
      headers: fc.oneof({ weight: 5, arbitrary: fc.constant<[string, string | Buffer][]>([]) }, { weight: 1, arbitrary: token(() => userToken).map((value) => withHeader('X-User-Token', value)) }),
    }));
  });

  it('answers generated logins by email in the envelope', async () => {
    const body = mutated(fc.record({ email: plausibleEmail, password: fc.oneof(fc.constant(userPassword), plausiblePassword) }));
    await checkProperty(2, 'POST /login_email', bodyRequest({
      method: fc.constant('POST'),
      target: fc.constant('/login_email'),
      body: bodyBytes(body),
      headers: fc.oneof({ weight: 5, arbitrary: fc.constant<[string, string | Buffer][]>([]) }, { weight: 1, arbitrary: token(() => userToken).map((value) => withHeader('X-User-Token', value)) }),
    }));
  });

  it('answers generated resource creations by an admin in the envelope and stores only valid resources', async () => {
    const { registry } = t.app.services;
    const poolName = fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,12}$/), fc.constantFrom('meta_api', 'sessions', 'login_email', 'fuzz', 'inner'), nastyString);
    const template = fc.record({
      content_type: fc.oneof({ weight: 6, arbitrary: fc.constant(ids.basicPool) }, { weight: 2, arbitrary: fc.constantFrom(...registry.resourceTypes.keys()) }, { weight: 1, arbitrary: nastyString }),
      data: fc.record(
        {
          [ids.name]: fc.record({ name: poolName }),
          [ids.title]: fc.record({ title: fc.oneof(fc.string({ maxLength: 30 }), nastyString) }),
          [description]: fc.record({ short_description: fc.oneof(fc.string(), nastyString), description: fc.oneof(fc.string(), nastyString) }, { requiredKeys: [] }),
          [ids.metadata]: fc.record({ hidden: fc.boolean() }),
        },
        { requiredKeys: [ids.name] },
      ),
    });
    await checkProperty(3, 'POST <pool>', bodyRequest({
      method: fc.oneof({ weight: 10, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: methods }),
      target: fc.constantFrom('/', ...pools, '/principals/groups/', '/principals/users/', '/nothing/'),
      body: bodyBytes(mutated(template)),
      headers: token(() => adminToken).map((value) => withHeader('X-User-Token', value)),
    }));
  });

  it('answers generated changes to pools and to a user in the envelope and stores only valid values', async () => {
    const poolChange = fc.record(
      {
        content_type: fc.constantFrom(ids.basicPool, ids.user),
        data: fc.record(
          {
            [ids.title]: fc.record({ title: fc.oneof(fc.string({ maxLength: 30 }), nastyString) }),
            [description]: fc.record({ description: fc.oneof(fc.string(), nastyString) }),
            [ids.name]: fc.record({ name: nastyString }),
            [ids.metadata]: fc.record({ hidden: fc.oneof(fc.boolean(), nastyString), deleted: fc.boolean() }, { requiredKeys: [] }),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['data'] },
    );
    const userChange = fc.record({
      data: fc.record(
        {
          [ids.userBasic]: fc.record({ name: plausibleName }),
          [ids.userExtended]: fc.record({ email: plausibleEmail, tzname: fc.oneof(fc.constantFrom('Europe/Berlin', 'UTC', ''), nastyString) }, { requiredKeys: [] }),
          [ids.password]: fc.record({ password: plausiblePassword }),
          [ids.permissions]: fc.record({ roles: fc.array(fc.oneof(fc.constantFrom('admin', 'moderator', 'emperor'), nastyString), { maxLength: 3 }) }),
        },
        { requiredKeys: [] },
      ),
    });
    const change = fc.oneof(
      fc.tuple(fc.constantFrom(...pools), mutated(poolChange), token(() => adminToken)),
      fc.tuple(fc.constant(userPath), mutated(userChange), token(() => userToken)),
    );
    const requests = fc
      .tuple(change, fc.option(fc.oneof(fc.constant(userPassword), nastyHeaderValue), { freq: 2 }))
      .chain(([[target, tree, tokenValue], password]) =>
        bodyRequest({
          method: fc.oneof({ weight: 10, arbitrary: fc.constant('PUT') }, { weight: 1, arbitrary: methods }),
          target: fc.constant(target),
          body: bodyBytes(fc.constant(tree)),
          headers: fc.constant([...withHeader('X-User-Token', tokenValue), ...withHeader('X-User-Password', password ?? undefined)]),
        }),
      );
    await checkProperty(4, 'PUT <resource>', requests);
  });

  /** Paths of links as the frontend posts them back: of the right form with unknown keys, of another kind, or anything. */
  const linkPaths = (prefix: string) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.constantFrom('0000000', '0000001', '9999999', 'x'), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)).map(([user, secret]) => `${prefix}${user}.${secret}`) },
      { weight: 1, arbitrary: fc.constantFrom('/activate/', '/password_reset/', '/confirm_email/').chain((other) => fc.string({ maxLength: 60 }).map((rest) => `${other}${rest}`)) },
      { weight: 2, arbitrary: nastyString },
    );

  const mailedLinkRequests = (target: string, body: fc.Arbitrary<unknown>) =>
    bodyRequest({
      method: fc.oneof({ weight: 10, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: methods }),
      target: fc.constant(target),
      body: bodyBytes(mutated(body)),
      headers: fc.oneof({ weight: 5, arbitrary: fc.constant<[string, string | Buffer][]>([]) }, { weight: 1, arbitrary: token(() => userToken).map((value) => withHeader('X-User-Token', value)) }),
    });

  it('answers generated activations and email confirmations in the envelope', async () => {
    await checkProperty(6, 'POST /activate_account', mailedLinkRequests('/activate_account', fc.record({ path: linkPaths('/activate/') })));
    await checkProperty(7, 'POST /confirm_email', mailedLinkRequests('/confirm_email', fc.record({ path: linkPaths('/confirm_email/') })));
  });

  it('answers generated password reset requests and resets in the envelope', async () => {
    await checkProperty(8, 'POST /create_password_reset', mailedLinkRequests('/create_password_reset', fc.record({ email: plausibleEmail })));
    await checkProperty(9, 'POST /password_reset', mailedLinkRequests('/password_reset', fc.record({ path: linkPaths('/password_reset/'), password: plausiblePassword })));
    await t.app.services.outbox.deliverDue();
  });

  it('answers generated GET /session and DELETE of a user without its password in the envelope', async () => {
    await checkProperty(10, 'GET /session', fc.record({ method: fc.constantFrom('GET', 'HEAD', 'POST'), tokenValue: token(() => userToken), noise: headerNoise }).map(
      ({ method, tokenValue, noise }): GeneratedRequest => ({ method, target: '/session', headers: [...withHeader('X-User-Token', tokenValue), ...noise], endsEarly: false, framing: 'length' }),
    ));
    // Never the right password: the account must survive for the other properties.
    const wrongPassword = fc.oneof(plausiblePassword, nastyHeaderValue).filter((value) => value !== userPassword);
    await checkProperty(11, 'DELETE <user>', fc.record({ tokenValue: token(() => userToken), password: fc.option(wrongPassword, { freq: 4 }), noise: headerNoise }).map(
      ({ tokenValue, password, noise }): GeneratedRequest => ({
        method: 'DELETE',
        target: userPath,
        headers: [...withHeader('X-User-Token', tokenValue === adminToken ? userToken : tokenValue), ...withHeader('X-User-Password', password ?? undefined), ...noise],
        endsEarly: false,
        framing: 'length',
      }),
    ));
    await t.http.get(userPath).set('X-User-Token', userToken).expect(200);
  });

  it('answers generated paths, query strings and headers of GET in the envelope', async () => {
    const { registry } = t.app.services;
    const parameters = ['elements', 'content_type', 'sheet', 'depth', 'sort', 'reverse', 'limit', 'offset', 'count', 'aggregateby', ...registry.indexedFields.keys()];
    const target = fc.tuple(pathTarget(['/', ...pools, '/principals/users/', userPath, `${userPath}sessions/`, '/meta_api']), queryString(parameters)).map(([path, query]) => `${path}${query}`);
    const requests = fc
      .record({
        method: fc.oneof({ weight: 10, arbitrary: fc.constantFrom('GET', 'HEAD') }, { weight: 1, arbitrary: methods }),
        target,
        tokenValue: token(() => adminToken),
        noise: headerNoise,
        body: fc.option(bodyBytes(nastyTree), { freq: 8 }),
      })
      .chain(({ method, target: path, tokenValue, noise, body }) =>
        body === null
          ? fc.constant<GeneratedRequest>({ method, target: path, headers: [...withHeader('X-User-Token', tokenValue), ...noise], endsEarly: false, framing: 'length' })
          : bodyRequest({ method: fc.constant(method), target: fc.constant(path), body: fc.constant(body), headers: fc.constant(withHeader('X-User-Token', tokenValue)) }),
      );
    await checkProperty(5, 'GET <resource>?<query>', requests);
  });
});
