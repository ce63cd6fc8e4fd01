// The password hashing processes of every test app in this mocha process: forked once and handed from app to app, rather than once per app.
import type { ChildProcess } from 'node:child_process';
import { ownHashProcesses, type HashProcesses } from '../../src/auth/password-hasher.ts';

const idle: ChildProcess[] = [];

/**
 * Each app still has a hasher of its own (queue, limits, closing); only the processes it hashes in are
 * reused. An idle one does not keep mocha from exiting, and exits when mocha does and its channel closes.
 */
export const sharedHashProcesses: HashProcesses = {
  start() {
    for (let child = idle.pop(); child !== undefined; child = idle.pop()) {
      if (!child.connected) continue;
      child.ref();
      child.channel?.ref();
      return child;
    }
    return ownHashProcesses.start();
  },
  async release(child) {
    child.unref();
    child.channel?.unref();
    idle.push(child);
  },
};
