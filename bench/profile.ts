// `npm run bench -- --profile[=SCENARIO]`: the backend under one scenario's load with node --cpu-prof, and where the time went.
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareBackend, repoRoot, startBackend } from './backend.ts';
import { checkSpec, runRound } from './load.ts';
import { findFreePort, makeScratchDir } from './processes.ts';
import { defineBackendSpecs } from './scenarios.ts';
import { seedPools } from './seed.ts';
import type { Settings } from './settings.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

export async function runProfile(settings: Settings): Promise<void> {
  const scenario = settings.profile as string;
  const dataDir = makeScratchDir('backend-profiled');
  const profileDir = makeScratchDir('cpu-profile');
  await seedPools(settings.backendRoot, dataDir, [
    { name: 'big', children: settings.bigPool },
    { name: 'small', children: settings.smallPool },
  ]);
  const backend = await startBackend({
    name: 'backend (profiled)',
    root: settings.backendRoot,
    port: await findFreePort(),
    dataDir,
    hashConcurrency: Math.max(1, os.availableParallelism() - 1),
    nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir],
  });
  const fixture = await prepareBackend(backend, settings.connections);
  const specs = defineBackendSpecs({ settings, backend, fixture });
  const spec = specs[scenario];
  if (!spec) throw new Error(`no scenario ${scenario}; choose one of ${Object.keys(specs).join(', ')}`);
  if (!spec.vary) await checkSpec(spec);

  // Enough samples for the profile to say something, even with --quick.
  const seconds = Math.max(10, settings.rounds * settings.secondsPerRound);
  process.stderr.write(`profiling ${spec.label} for ${seconds} s…\n`);
  const round = await runRound(spec, { seconds });
  // The profile is written when the process exits, which a SIGTERM makes it do cleanly.
  await backend.stop();

  const written = readdirSync(profileDir).find((file) => file.endsWith('.cpuprofile'));
  if (!written) throw new Error(`the backend wrote no profile to ${profileDir}`);
  const kept = path.join(repoRoot, 'bench', `${scenario}.cpuprofile`);
  copyFileSync(path.join(profileDir, written), kept);
  process.stdout.write(`${spec.label}: ${Math.round(round.reqPerSec)} req/s, p50 ${round.p50Ms} ms, p99 ${round.p99Ms} ms under the profiler\n`);
  process.stdout.write(`${summarizeProfile(JSON.parse(readFileSync(kept, 'utf8')) as CpuProfile, settings.backendRoot)}\n`);
  process.stdout.write(`profile kept in ${path.relative(process.cwd(), kept)} (open it in Chrome DevTools, Performance tab)\n`);
}

/** Names the code a frame belongs to: a file of ours, a package, or node's own internals. */
function findArea(url: string, functionName: string, root: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const file = url.replace(/^file:\/\//, '');
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (inPackage) return inPackage[1] as string;
  if (file.startsWith('node:')) return 'node internals';
  return path.relative(root, file);
}

function nameFrame(node: ProfileNode, root: string): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const area = findArea(url, functionName, root);
  // Code that tsx compiled reports line 1 for everything; the file alone says as much.
  const line = lineNumber > 0 ? `:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${url ? `${area}${line}` : ''}`.trim();
}

/** `root` is the checkout that ran, so that its files show as src/… */
export function summarizeProfile(profile: CpuProfile, root: string, top = 25): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const sampleMs = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;

  // Inclusive time counts a function once per stack, however often it recurses.
  const visit = (node: ProfileNode, onStack: Set<string>): number => {
    const name = nameFrame(node, root);
    const own = (node.hitCount ?? 0) * sampleMs;
    if (node.callFrame.functionName !== '(idle)') {
      self.set(name, (self.get(name) ?? 0) + own);
      const area = findArea(node.callFrame.url, node.callFrame.functionName, root);
      areas.set(area, (areas.get(area) ?? 0) + own);
      busy += own;
    }
    const fresh = !onStack.has(name);
    if (fresh) onStack.add(name);
    let total = own;
    for (const child of node.children ?? []) total += visit(byId.get(child) as ProfileNode, onStack);
    if (fresh) {
      onStack.delete(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + total);
    }
    return total;
  };
  const rootNode = profile.nodes[0];
  if (rootNode) visit(rootNode, new Set());

  const percent = (ms: number) => `${((ms / busy) * 100).toFixed(1).padStart(5)} %`;
  const list = (entries: Map<string, number>, count: number) =>
    [...entries]
      .filter(([name]) => name !== '(root)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, ms]) => `  ${percent(ms)}  ${name}`)
      .join('\n');
  const ours = new Map([...inclusive].filter(([name]) => /\b(src|sheets)\//.test(name)));
  return [
    `busy (not idle) CPU time: ${(busy / 1000).toFixed(1)} s`,
    'self time by area:',
    list(areas, 12),
    `self time, top ${top} functions:`,
    list(self, top),
    'inclusive time, our own functions (src/, sheets/):',
    list(ours, top),
  ].join('\n');
}
