// A child process that runs argon2 for the parent's PasswordHasher, on a thread pool of its own.
import argon2 from 'argon2';

export interface HashJob {
  id: number;
  op: 'hash' | 'verify';
  password: string;
  hash?: string;
  params: { memoryCost: number; timeCost: number; parallelism: number };
}

export type HashReply = { id: number; ok: true; result: string | boolean } | { id: number; ok: false; message: string };

async function run(job: HashJob): Promise<string | boolean> {
  if (job.op === 'hash') return argon2.hash(job.password, { type: argon2.argon2id, ...job.params });
  // A malformed stored hash is a failed verification, not a crash.
  return argon2.verify(job.hash ?? '', job.password).catch(() => false);
}

process.on('message', (job: HashJob) => {
  run(job).then(
    (result) => process.send?.({ id: job.id, ok: true, result } satisfies HashReply),
    (error: unknown) =>
      process.send?.({ id: job.id, ok: false, message: error instanceof Error ? error.message : 'hashing failed' } satisfies HashReply),
  );
});
process.on('disconnect', () => process.exit(0));
