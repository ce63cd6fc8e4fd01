// What one password hash costs each side: our argon2id against the peer's PBKDF2, timed here in one process.
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { computeMedian } from './load.ts';

export interface HashCost {
  ours: { algorithm: string; ms: number };
  peer?: { algorithm: string; ms: number };
}

export async function measureHashCost(
  argon2Params: { memoryCost: number; timeCost: number; parallelism: number },
  peer?: { scheme: string; iterations: number; digest: string },
): Promise<HashCost> {
  const password = 'bench-user-password';
  const argonTimes: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const started = performance.now();
    await argon2.hash(password, { type: argon2.argon2id, ...argon2Params });
    argonTimes.push(performance.now() - started);
  }
  const ours = {
    algorithm: `argon2id m=${argon2Params.memoryCost} KiB, t=${argon2Params.timeCost}, p=${argon2Params.parallelism}`,
    ms: computeMedian(argonTimes),
  };
  if (!peer || peer.scheme !== 'pbkdf2') return { ours };

  // Far too fast to time once: time many and divide.
  const salt = new Uint8Array(randomBytes(16));
  const count = 2000;
  const started = performance.now();
  for (let run = 0; run < count; run += 1) pbkdf2Sync(password, salt, peer.iterations, 20, peer.digest === 'sha1' ? 'sha1' : 'sha256');
  const ms = (performance.now() - started) / count;
  return { ours, peer: { algorithm: `pbkdf2-${peer.digest} ${peer.iterations} iterations`, ms } };
}
