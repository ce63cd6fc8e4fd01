// How long and how hard the benchmark runs: the full run of issue 6, or a short one (--quick) for development.
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface Settings {
  quick: boolean;
  /** The checkout whose server is measured (built, as `npm start` runs it) and whose storage seeds it: this one unless --backend=DIR. */
  backendRoot: string;
  /** Only profile the backend under one scenario's load (see bench/profile.ts); undefined for the full table. */
  profile: string | undefined;
  /** Only these rows (comparison ids, `rss` for the RSS row), for development; undefined for all. */
  only: string[] | undefined;
  rounds: number;
  secondsPerRound: number;
  /** One discarded round per side first, so that neither side is measured cold (JIT, caches, first hash child); 0 for none. */
  warmupSeconds: number;
  /** For requests that cost little; issue 6 caps it at 50. */
  connections: number;
  /** For requests bound by password hashing: more would only lengthen the queue, not the rate. */
  hashConnections: number;
  /** Clients logging in without pause while the authenticated GET is measured. */
  loginClients: number;
  bigPool: number;
  smallPool: number;
  /** Rounds and requests per round for the pages, which are measured one request at a time. */
  pageRounds: number;
  pageRequests: number;
  bogusRequests: number;
  bogusWarmup: number;
}

export const usage = `npm run bench [-- [--quick] [--only=ROW,...] [--profile[=SCENARIO]] [--backend=DIR]]
  (no option)  the full run: 5 rounds of 3 s per side, a pool of 100,000, 10^6 bogus tokens (about 12 minutes on 2 cores)
  --quick      3 rounds of 0.4 s without warm-up, pools of 1,000 and 200, 6,000 bogus tokens (about a minute)
  --only       measures only these rows: user-get, pool-get, login, registration, put, post-busy-20,
               post-busy-50, page-big,
               user-get-during-logins, user-get-vs-peer, login-vs-peer, login-fairness, rss,
               batch-20, batch-20-couchdb, version-20,
               ws-fanout, ws-idle-rss, ws-cross-process (the rest of the set-up still runs)
  --profile    runs only the backend under one scenario with node --cpu-prof and prints where the time goes;
               SCENARIO: user-get (default), pool-get, login, registration, put, page-big, page-small
  --backend=DIR  measures the backend of another checkout (a git worktree of an older commit, say, with a
               node_modules link), so that a change can be compared with what came before it
  rows that start servers of their own, also for --only: couch-user-get, couch-pool-get, couch-post,
               couch-post-ceiling (two backends on one CouchDB), startup-empty, startup-crash, startup-scaling`;

export function readSettings(args: readonly string[], repoRoot: string): Settings {
  const quick = args.includes('--quick');
  const profileArg = args.find((arg) => arg === '--profile' || arg.startsWith('--profile='));
  const backendArg = args.find((arg) => arg.startsWith('--backend='));
  const onlyArg = args.find((arg) => arg.startsWith('--only='));
  const unknown = args.filter((arg) => arg !== '--quick' && arg !== profileArg && arg !== backendArg && arg !== onlyArg);
  if (unknown.length > 0) {
    throw new Error(`unknown option ${unknown.join(' ')}\n${usage}`);
  }
  const profile = profileArg === undefined ? undefined : profileArg.split('=')[1] || 'user-get';
  const backendRoot = path.resolve(backendArg?.slice('--backend='.length) ?? repoRoot);
  if (!existsSync(path.join(backendRoot, 'src', 'server.ts'))) throw new Error(`${backendRoot} has no src/server.ts`);
  const only = onlyArg?.slice('--only='.length).split(',').filter(Boolean);
  const common = { quick, profile, only, backendRoot, connections: 50, loginClients: 10 };
  // --quick keeps the shape of every figure but shrinks what takes long: seeding, slow pages, hash queues.
  return quick
    ? { ...common, rounds: 3, secondsPerRound: 0.4, warmupSeconds: 0, hashConnections: 4, bigPool: 1_000, smallPool: 200, pageRounds: 2, pageRequests: 2, bogusRequests: 6_000, bogusWarmup: 1_000 }
    : { ...common, rounds: 5, secondsPerRound: 3, warmupSeconds: 1, hashConnections: 10, bigPool: 100_000, smallPool: 1_000, pageRounds: 3, pageRequests: 3, bogusRequests: 1_000_000, bogusWarmup: 20_000 };
}
