// Starting everything a run measures: the seeded backend, a second one for RSS, the baselines and the peer.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../src/config.ts';
import { argon2Env, benchUser, prepareBackend, repoRoot, startBackend } from './backend.ts';
import { measureHashCost } from './hash-cost.ts';
import { peerName, preparePeer, startPeer } from './peer.ts';
import { findFreePort, makeScratchDir, startServer, type Server } from './processes.ts';
import type { ScenarioContext } from './scenarios.ts';
import { seedPools } from './seed.ts';
import type { Settings } from './settings.ts';

async function startBaseline(kind: 'json' | 'verify' | 'hash' | 'put', hashConcurrency: number, extraEnv: Record<string, string> = {}): Promise<Server> {
  const dir = makeScratchDir(`baseline-${kind}`);
  const port = await findFreePort();
  return startServer({
    name: `baseline ${kind}`,
    args: ['--import', 'tsx', 'bench/baseline-server.ts', kind],
    cwd: repoRoot,
    env: { PORT: String(port), DATA_DIR: dir, HASH_CONCURRENCY: String(hashConcurrency), ...argon2Env, ...extraEnv },
    port,
    dir,
  });
}

/** The peer started, or why not: its rows are left out then, and the rest still runs. */
async function startPeerIfPossible(): Promise<Server | string> {
  try {
    return await startPeer(repoRoot, await findFreePort(), makeScratchDir(peerName));
  } catch (error) {
    return `it did not start (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}

/**
 * Everything starts at once where nothing depends on anything else; `notes` collects what the table should
 * mention (a peer left out, say).
 */
export async function startServers(
  settings: Settings,
  defaults: Config,
  notes: string[],
  say: (text: string) => void,
): Promise<{ context: ScenarioContext; rssBackend: Server; hashConcurrency: number }> {
  // The backend's own default (cores - 1), given to the argon2 baselines as well.
  const hashConcurrency = Math.max(1, os.availableParallelism() - 1);
  const backendDir = makeScratchDir('backend');
  const bodiesFile = path.join(makeScratchDir('bodies'), 'bodies.json');
  say(`seeding /big/ (${settings.bigPool.toLocaleString('en')} children) and /small/ (${settings.smallPool.toLocaleString('en')}), starting the other servers…`);
  // Only the backend waits for the seeding: everything else starts meanwhile, on the other core.
  const seeded = seedPools(settings.backendRoot, backendDir, [
    { name: 'big', children: settings.bigPool },
    { name: 'small', children: settings.smallPool },
  ]).then(() => say('  seeded'));
  const peerStarting = startPeerIfPossible();
  const [backend, rssBackend, verify, hash, put, json] = await Promise.all([
    seeded.then(async () => startBackend({ name: 'backend', root: settings.backendRoot, port: await findFreePort(), dataDir: backendDir, hashConcurrency })),
    findFreePort().then((port) => startBackend({ name: 'backend (RSS)', root: settings.backendRoot, port, dataDir: makeScratchDir('backend-rss'), hashConcurrency })),
    startBaseline('verify', hashConcurrency, { BENCH_PASSWORD: benchUser.password }),
    startBaseline('hash', hashConcurrency),
    startBaseline('put', hashConcurrency),
    // It reads the file at its first request, after prepareBackend below has written it.
    startBaseline('json', hashConcurrency, { BODIES_FILE: bodiesFile }),
  ]);
  say('preparing users, tokens and pools…');
  const fixture = await prepareBackend(backend, settings.connections);
  writeFileSync(bodiesFile, JSON.stringify(fixture.bodies));
  const peerOrReason = await peerStarting
    .then(async (started) =>
      typeof started === 'string' ? started : { server: started, fixture: await preparePeer(started, fixture.bodies[fixture.userPath]) },
    )
    .catch((error: unknown) => `it could not be set up (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  const peer = typeof peerOrReason === 'string' ? undefined : peerOrReason;
  if (typeof peerOrReason === 'string') notes.push(`${peerName} rows left out: ${peerOrReason}`);

  const hashCost = await measureHashCost(defaults.argon2, peer?.fixture.hashing);
  const context = { settings, backend, fixture, baselines: { json, verify, hash, put }, peer, hashCost };
  return { context, rssBackend, hashConcurrency };
}
