// Argon2id hashing in a small pool of child processes, so logins never take the thread pool storage needs.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import argon2 from 'argon2';
import { unavailable } from '../errors.ts';
import type { HashJob, HashReply } from './hash-worker.ts';

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export interface HasherOptions {
  params: Argon2Params;
  /** Hashes running at once, one child process each. */
  concurrency: number;
  /** Jobs allowed to wait; one more is refused with 503 rather than held in memory. */
  maxQueue: number;
  /** Jobs one client (an address) may have waiting or running; its next is refused, nobody else's. */
  maxPerClient: number;
  /** Where the hashing processes come from; by default the hasher forks its own and ends them when it closes. */
  processes?: HashProcesses;
}

/**
 * Starts hashing processes for hashers and takes back the idle ones of a hasher that closes. A process
 * holds no state between jobs (each job carries its parameters), so one may serve several hashers in turn.
 */
export interface HashProcesses {
  start(): ChildProcess;
  /** Takes back an idle, connected process; resolves once it is ended or kept. */
  release(child: ChildProcess): Promise<void>;
}

/**
 * `client` names who the work is for (a client address): each client holds a few places in the queue
 * at most, so that one that keeps logging in cannot make everybody else wait or be refused.
 */
export interface PasswordHasher {
  hash(password: string, client?: string): Promise<string>;
  verify(hash: string, password: string, client?: string): Promise<boolean>;
  /** Spends the time of a real verification, so that an unknown account answers as slowly as a known one. */
  verifyDummy(password: string, client?: string): Promise<void>;
  /** True when the hash was made with weaker parameters than the configured ones. */
  needsRehash(hash: string): boolean;
  close(): Promise<void>;
}

interface Pending {
  job: HashJob;
  resolve: (result: string | boolean) => void;
  reject: (error: Error) => void;
}

interface Worker {
  child: ChildProcess;
  current?: Pending;
  handleReply(reply: HashReply): void;
  handleExit(): void;
}

// The worker is the file beside this one, in the form this one runs in: TypeScript through tsx when run
// from the sources (tests, npm run dev), JavaScript with plain node when run from the build in dist/.
const isCompiled = import.meta.url.endsWith('.js');
const workerFile = fileURLToPath(new URL(isCompiled ? './hash-worker.js' : './hash-worker.ts', import.meta.url));
const workerExecArgv = isCompiled ? [] : ['--import', 'tsx'];
const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Ends a hashing process: it exits once its channel closes. */
function endHashProcess(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    if (child.connected) child.disconnect();
  });
}

/** Each hasher's processes of its own: forked when first needed, ended when it closes. */
export const ownHashProcesses: HashProcesses = {
  start() {
    // tsx, when needed, is resolved from the project root whatever the cwd.
    return fork(workerFile, [], {
      cwd: projectRoot,
      execArgv: workerExecArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  },
  release: endHashProcess,
};

export function createPasswordHasher(options: HasherOptions): PasswordHasher {
  const processes = options.processes ?? ownHashProcesses;
  const workers: Worker[] = [];
  const queue: Pending[] = [];
  /** Jobs waiting or running, per client. */
  const perClient = new Map<string, number>();
  let nextJobId = 1;
  let closed = false;
  let dummyHash: Promise<string> | undefined;

  function startWorker(): Worker {
    const child = processes.start();
    const worker: Worker = {
      child,
      handleReply(reply: HashReply) {
        const pending = worker.current;
        if (!pending || pending.job.id !== reply.id) return;
        worker.current = undefined;
        if (reply.ok) pending.resolve(reply.result);
        else pending.reject(new Error(`argon2 failed: ${reply.message}`));
        dispatch();
      },
      handleExit() {
        workers.splice(workers.indexOf(worker), 1);
        worker.current?.reject(new Error('the hashing process stopped'));
        worker.current = undefined;
        if (!closed) dispatch();
      },
    };
    child.on('message', worker.handleReply);
    child.on('exit', worker.handleExit);
    workers.push(worker);
    return worker;
  }

  /** An idle process goes back to where it came from; one still hashing is ended, its job refused. */
  function releaseWorker(worker: Worker): Promise<void> {
    const { child } = worker;
    if (worker.current !== undefined || !child.connected) return endHashProcess(child);
    child.off('message', worker.handleReply);
    child.off('exit', worker.handleExit);
    workers.splice(workers.indexOf(worker), 1);
    return processes.release(child);
  }

  function dispatch(): void {
    while (queue.length > 0 && !closed) {
      const idle = workers.find((worker) => worker.current === undefined && worker.child.connected);
      const worker = idle ?? (workers.length < options.concurrency ? startWorker() : undefined);
      if (!worker) return;
      const pending = queue.shift() as Pending;
      worker.current = pending;
      worker.child.send(pending.job);
    }
  }

  function submit(job: Omit<HashJob, 'id' | 'params'>, client: string | undefined): Promise<string | boolean> {
    if (closed) return Promise.reject(new Error('the password hasher is closed'));
    const held = client === undefined ? 0 : (perClient.get(client) ?? 0);
    if (held >= options.maxPerClient) {
      return Promise.reject(unavailable('Too many logins and registrations from your address at once; try again shortly', 1));
    }
    if (queue.length >= options.maxQueue) {
      return Promise.reject(unavailable('Too many logins and registrations at once; try again shortly', 1));
    }
    if (client !== undefined) perClient.set(client, held + 1);
    const release = () => {
      if (client === undefined) return;
      const left = (perClient.get(client) ?? 1) - 1;
      if (left > 0) perClient.set(client, left);
      else perClient.delete(client);
    };
    return new Promise<string | boolean>((resolve, reject) => {
      queue.push({ job: { ...job, id: nextJobId++, params: options.params }, resolve, reject });
      dispatch();
    }).finally(release);
  }

  return {
    async hash(password, client) {
      return String(await submit({ op: 'hash', password }, client));
    },
    async verify(hash, password, client) {
      return (await submit({ op: 'verify', password, hash }, client)) === true;
    },
    async verifyDummy(password, client) {
      if (dummyHash === undefined) {
        const pending = this.hash('a password nobody has, hashed once per process');
        dummyHash = pending;
        // A hash refused by a full queue must not be kept: every later unknown login would be refused as well.
        pending.catch(() => {
          if (dummyHash === pending) dummyHash = undefined;
        });
      }
      await this.verify(await dummyHash, password, client);
    },
    needsRehash(hash) {
      try {
        return argon2.needsRehash(hash, { ...options.params });
      } catch {
        return true;
      }
    },
    async close() {
      closed = true;
      for (const pending of queue.splice(0)) pending.reject(new Error('the password hasher is closed'));
      await Promise.all([...workers].map(releaseWorker));
    },
  };
}
