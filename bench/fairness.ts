// Login fairness: while one address floods the login with 80 looping clients, how many logins from other addresses succeed, and how fast.
import { requestFrom } from '../test/support/from-address.ts';
import { benchUser, makeRegistrationBody, startBackend } from './backend.ts';
import type { Measurement } from './load.ts';
import { findFreePort, makeScratchDir } from './processes.ts';
import type { Row } from './report.ts';

export interface FairnessResult {
  floodClients: number;
  floodAnswers: Record<string, number>;
  others: Measurement;
  successShare: number;
}

const flooder = { name: 'flooder', email: 'flooder@example.org', password: benchUser.password };
const floodAddress = '127.0.0.2';

function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] as number;
}

/**
 * A backend with the default hashing and lockout settings; the flood logs in to its own account with
 * the right password (the case no lockout stops), the others each log in to theirs, one after another.
 */
export async function measureFairness(options: {
  root: string;
  hashConcurrency: number;
  floodClients: number;
  otherAddresses: number;
  loginsPerAddress: number;
  onProgress: (text: string) => void;
}): Promise<FairnessResult> {
  const port = await findFreePort();
  const server = await startBackend({ name: 'backend (fairness)', root: options.root, port, dataDir: makeScratchDir('backend-fairness'), hashConcurrency: options.hashConcurrency, defaults: true });
  const users = [flooder, ...Array.from({ length: options.otherAddresses }, (_, index) => ({ name: `fair-${index}`, email: `fair-${index}@example.org`, password: benchUser.password }))];
  for (const user of users) {
    const answer = await requestFrom(server.url, '127.0.0.1', 'POST', '/principals/users/', { body: JSON.parse(makeRegistrationBody(user)) });
    if (answer.status !== 200) throw new Error(`registering ${user.name}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  options.onProgress(`  ${options.floodClients} clients at ${floodAddress} log in without pause; ${options.otherAddresses} other addresses log in ${options.loginsPerAddress} times each…`);
  let flooding = true;
  const floodAnswers: Record<string, number> = {};
  const flood = Array.from({ length: options.floodClients }, async () => {
    while (flooding) {
      const answer = await requestFrom(server.url, floodAddress, 'POST', '/login_username', { body: { name: flooder.name, password: flooder.password } });
      floodAnswers[answer.status] = (floodAnswers[answer.status] ?? 0) + 1;
    }
  });
  // Let the flood fill the queue first.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const started = performance.now();
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  await Promise.all(
    users.slice(1).map(async (user, index) => {
      for (let login = 0; login < options.loginsPerAddress; login += 1) {
        const sent = performance.now();
        const answer = await requestFrom(server.url, `127.0.0.${10 + index}`, 'POST', '/login_username', { body: { name: user.name, password: user.password } });
        latencies.push(performance.now() - sent);
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  flooding = false;
  await Promise.all(flood);
  await server.stop();
  latencies.sort((a, b) => a - b);
  const total = latencies.length;
  const succeeded = statuses['200'] ?? 0;
  return {
    floodClients: options.floodClients,
    floodAnswers,
    successShare: succeeded / total,
    others: {
      label: 'logins from other addresses',
      reqPerSec: succeeded / seconds,
      p50Ms: Math.round(percentile(latencies, 0.5)),
      p99Ms: Math.round(percentile(latencies, 0.99)),
      expected: succeeded,
      unexpected: total - succeeded,
      statuses,
      rounds: [],
    },
  };
}

export function describeFairness(result: FairnessResult): Row {
  const answered = Object.entries(result.floodAnswers)
    .map(([status, count]) => `${count.toLocaleString('en')} × ${status}`)
    .join(', ');
  return {
    id: 'login-fairness',
    figure: `logins from other addresses while ${result.floodClients} clients at one address log in without pause`,
    measured: result.others,
    baselineLabel: `the flood: ${answered}`,
    ratioText: `${(result.successShare * 100).toFixed(1)} % succeeded`,
    targetText: '≥ 90 % succeed',
    met: result.successShare >= 0.9,
  };
}
