// Child processes the tests start, tracked so that one left running fails the run instead of keeping mocha from exiting.
import type { ChildProcess } from 'node:child_process';

const running = new Map<ChildProcess, string>();

/** Tracks a child until it exits; `label` names it in the failure if it outlives the tests. */
export function trackChild<T extends ChildProcess>(child: T, label: string): T {
  running.set(child, label);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Root hooks (loaded through .mocharc's require): after every test, no tracked child may still run. */
export const mochaHooks = {
  afterAll(): void {
    const left = [...running];
    for (const [child] of left) child.kill('SIGKILL');
    running.clear();
    if (left.length > 0) throw new Error(`tests left ${left.length} child process(es) running: ${left.map(([child, label]) => `${label} (pid ${child.pid})`).join(', ')}`);
  },
};
