// The figures of issue 6: what is measured against which baseline, and the target of each ratio.
import type autocannon from 'autocannon';
import { benchUser, createChildVariation, logIn, makeChildBody, makeRegistrationBody, sheet, type BackendFixture } from './backend.ts';
import type { HashCost } from './hash-cost.ts';
import type { LoadSpec } from './load.ts';
import { peerName, peerUser, type PeerFixture } from './peer.ts';
import type { Server } from './processes.ts';
import type { Settings } from './settings.ts';

export interface Comparison {
  /** Key in results.json and name for --profile. */
  id: string;
  figure: string;
  measured: LoadSpec;
  baseline: LoadSpec;
  /** A load that runs during every round of `measured` (not of the baseline): the logins beside a GET. */
  alongside?: LoadSpec;
  /** throughput: measured req/s ÷ baseline req/s. latency: measured median latency ÷ the baseline's. */
  ratioKind: 'throughput' | 'latency';
  /**
   * Rounds of a few requests each instead of rounds of some seconds, for requests so slow that a round of
   * seconds would see none of them answered. They run on one connection, so latency is the time of one.
   */
  countedRounds?: { rounds: number; requests: number };
  /** Undefined where issue 6 asks only for the figures side by side. */
  target?: { comparison: '>=' | '<='; value: number };
  /** Shown in place of a target where there is none. */
  note?: string;
  /** Runs right before the measurement, for what would go stale while earlier figures are measured. */
  prepare?: () => Promise<void>;
}

export interface ScenarioContext {
  settings: Settings;
  backend: Server;
  fixture: BackendFixture;
  baselines: { json: Server; verify: Server; hash: Server; put: Server } | undefined;
  peer: { server: Server; fixture: PeerFixture } | undefined;
  hashCost: HashCost;
}

/** Names that no earlier request took, across rounds and scenarios, since registration refuses duplicates. */
function createRegistrationVariation(): (request: autocannon.Request) => autocannon.Request {
  let next = 0;
  return (request) => {
    next += 1;
    const name = `bench-${next}`;
    return { ...request, body: makeRegistrationBody({ name, email: `${name}@example.org`, password: benchUser.password }) };
  };
}

/** Clients creating children in one pool at once, as a comment thread, a registration wave or a rating burst do. */
export const busyPoolClients = [20, 50] as const;

/**
 * A page of 20 as a client would ask for it: newest first, one type, and a filter on a second indexed
 * field that every child passes (so that the page is full), checked while the page is read. Without
 * its count, which reads every child of a filtered listing (docs/queries.md): the figure is what a
 * page costs.
 */
const pageSortKey = 'adhocracy_core.sheets.metadata.IMetadata:creation_date';
const pageQuery = new URLSearchParams({
  elements: 'paths',
  content_type: 'adhocracy_core.resources.pool.IBasicPool',
  sort: pageSortKey,
  reverse: 'true',
  modification_date: JSON.stringify(['ge', '2000-01-01T00:00:00Z']),
  limit: '20',
  count: 'false',
}).toString();

/** The backend's own requests, also used on their own by --profile. */
export function defineBackendSpecs(context: Pick<ScenarioContext, 'settings' | 'backend' | 'fixture'>): Record<string, LoadSpec> {
  const { settings, backend, fixture } = context;
  const url = backend.url;
  const loginBody = JSON.stringify({ name: benchUser.name, password: benchUser.password });
  const putBody = JSON.stringify({ data: { [sheet.title]: { title: 'benchmarked' } } });
  const definePage = (pool: string, size: number): LoadSpec => ({
    label: `backend: page of 20, pool of ${size.toLocaleString('en')}`,
    url,
    path: `/${pool}/?${pageQuery}`,
    connections: 1,
    timeoutSeconds: 300,
    expectStatus: 200,
  });
  return {
    'user-get': {
      label: 'backend: GET user, X-User-Token',
      url,
      path: fixture.userPath,
      headers: { 'X-User-Token': fixture.userToken },
      connections: settings.connections,
      expectStatus: 200,
    },
    'pool-get': { label: 'backend: GET pool, anonymous', url, path: fixture.poolPath, connections: settings.connections, expectStatus: 200 },
    login: {
      label: 'backend: POST /login_username',
      url,
      path: '/login_username',
      method: 'POST',
      body: loginBody,
      connections: settings.hashConnections,
      expectStatus: 200,
    },
    registration: {
      label: 'backend: POST /principals/users/',
      url,
      path: '/principals/users/',
      method: 'POST',
      body: makeRegistrationBody({ name: 'bench-0', email: 'bench-0@example.org', password: benchUser.password }),
      vary: createRegistrationVariation(),
      connections: settings.hashConnections,
      expectStatus: 200,
    },
    put: {
      label: 'backend: PUT ITitle of a pool',
      url,
      path: fixture.putPaths[0] as string,
      method: 'PUT',
      headers: { 'X-User-Token': fixture.adminToken },
      body: putBody,
      perConnection: (index) => ({ path: fixture.putPaths[index % fixture.putPaths.length] as string }),
      connections: settings.connections,
      expectStatus: 200,
    },
    ...Object.fromEntries(
      busyPoolClients.map((clients) => [
        `post-busy-${clients}`,
        {
          label: `backend: POST child, ${clients} clients, one pool`,
          url,
          path: `${fixture.busyPoolPath}`,
          method: 'POST',
          headers: { 'X-User-Token': fixture.adminToken },
          body: makeChildBody('child-0'),
          vary: createChildVariation(`child${clients}`),
          connections: clients,
          expectStatus: 200,
        } satisfies LoadSpec,
      ]),
    ),
    'page-big': definePage('big', settings.bigPool),
    'page-small': definePage('small', settings.smallPool),
  };
}

export function defineComparisons(context: ScenarioContext): Comparison[] {
  const { settings, fixture, baselines, peer, hashCost } = context;
  const ours = defineBackendSpecs(context);
  /**
   * The login rows open more sessions for the bench user than SESSIONS_PER_USER keeps, which ends the
   * fixture's: a row measured after them logs in afresh. Every copy of the user GET shares these headers.
   */
  const renewUserToken = async () => {
    const headers = (ours['user-get'] as LoadSpec).headers as Record<string, string>;
    headers['X-User-Token'] = await logIn(context.backend.url, benchUser.name, benchUser.password);
  };
  const comparisons: Comparison[] = [
    {
      id: 'page-big',
      figure: `page of 20 (filtered, sorted) from a pool of ${settings.bigPool.toLocaleString('en')}`,
      measured: ours['page-big'] as LoadSpec,
      baseline: ours['page-small'] as LoadSpec,
      ratioKind: 'latency',
      countedRounds: { rounds: settings.pageRounds, requests: settings.pageRequests },
      target: { comparison: '<=', value: 2 },
    },
    {
      id: 'user-get-during-logins',
      figure: `authenticated GET while ${settings.loginClients} clients log in`,
      measured: { ...(ours['user-get'] as LoadSpec), label: `backend: GET user while ${settings.loginClients} clients log in` },
      alongside: { ...(ours.login as LoadSpec), connections: settings.loginClients },
      baseline: ours['user-get'] as LoadSpec,
      ratioKind: 'throughput',
      target: { comparison: '>=', value: 0.5 },
      prepare: renewUserToken,
    },
  ];
  if (baselines) {
    const { json, verify, hash, put } = baselines;
    comparisons.unshift(
      {
        id: 'user-get',
        figure: 'authenticated GET of a user',
        measured: ours['user-get'] as LoadSpec,
        baseline: { label: 'express: same JSON', url: json.url, path: fixture.userPath, connections: settings.connections, expectStatus: 200 },
        ratioKind: 'throughput',
        target: { comparison: '>=', value: 0.75 },
      },
      {
        id: 'pool-get',
        figure: 'anonymous GET of a pool',
        measured: ours['pool-get'] as LoadSpec,
        baseline: { label: 'express: same JSON', url: json.url, path: fixture.poolPath, connections: settings.connections, expectStatus: 200 },
        ratioKind: 'throughput',
        target: { comparison: '>=', value: 0.75 },
      },
      {
        id: 'login',
        figure: 'login',
        measured: ours.login as LoadSpec,
        baseline: { ...(ours.login as LoadSpec), label: 'express: argon2.verify only', url: verify.url },
        ratioKind: 'throughput',
        target: { comparison: '>=', value: 0.85 },
      },
      {
        id: 'registration',
        figure: 'registration',
        measured: ours.registration as LoadSpec,
        baseline: { ...(ours.registration as LoadSpec), label: 'express: argon2.hash only', url: hash.url, vary: createRegistrationVariation() },
        ratioKind: 'throughput',
        target: { comparison: '>=', value: 0.8 },
      },
      {
        id: 'put',
        figure: 'PUT of a sheet',
        measured: ours.put as LoadSpec,
        baseline: { ...(ours.put as LoadSpec), label: 'express: one PouchDB put', url: put.url, headers: {} },
        ratioKind: 'throughput',
        target: { comparison: '>=', value: 0.6 },
      },
      ...busyPoolClients.map(
        (clients): Comparison => ({
          id: `post-busy-${clients}`,
          figure: `POST of a child into one pool, ${clients} clients`,
          measured: ours[`post-busy-${clients}`] as LoadSpec,
          baseline: {
            ...(ours[`post-busy-${clients}`] as LoadSpec),
            label: 'express: one PouchDB put',
            url: put.url,
            headers: {},
            vary: createChildVariation(`baseline${clients}`),
          },
          ratioKind: 'throughput',
          target: { comparison: '>=', value: 0.6 },
        }),
      ),
    );
  }
  if (peer) {
    const peerGet: LoadSpec = {
      label: `${peerName}: GET doc, cookie`,
      url: peer.server.url,
      path: peer.fixture.docPath,
      headers: {},
      connections: settings.connections,
      expectStatus: 200,
    };
    comparisons.push(
      {
        id: 'user-get-vs-peer',
        figure: `authenticated GET vs ${peerName}`,
        measured: ours['user-get'] as LoadSpec,
        baseline: peerGet,
        ratioKind: 'throughput',
        target: { comparison: '>=', value: 2.5 },
        // The cookie of a login made minutes ago would have expired by now.
        prepare: async () => {
          await renewUserToken();
          peerGet.headers = { Cookie: await peer.fixture.logIn() };
        },
      },
      {
        id: 'login-vs-peer',
        figure: `login vs ${peerName}`,
        measured: ours.login as LoadSpec,
        baseline: {
          label: `${peerName}: POST /_session`,
          url: peer.server.url,
          path: '/_session',
          method: 'POST',
          body: JSON.stringify(peerUser),
          connections: settings.hashConnections,
          expectStatus: 200,
        },
        ratioKind: 'throughput',
        note: `printed; one hash: ${hashCost.ours.ms.toFixed(1)} ms vs ${hashCost.peer ? hashCost.peer.ms.toFixed(3) : '?'} ms (notes)`,
      },
    );
  }
  return comparisons;
}
