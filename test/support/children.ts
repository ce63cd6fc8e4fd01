// Child processes the tests start, tracked so that one left running fails the run instead of keeping mocha from exiting.
import type { ChildProcess } from 'node:child_process';

const running = new Map<ChildProcess, string>();

/** Tracks a child until it exits; `label` names it in the failure if it outlives the tests. */
export function trackChild<T extends ChildProcess>(child: T, label: string): T {
  running.set(child, label);
  child.once('exit', () => running.delete(child));
  return child;
}

async function stopLeftChildren(): Promise<void> {
  // One already told to stop gets a moment to exit.
  const stopping = [...running.keys()].filter((child) => child.killed);
  await Promise.all(stopping.map((child) => new Promise((resolve) => (child.once('exit', resolve), setTimeout(resolve, 5_000).unref()))));
  const left = [...running];
  for (const [child] of left) child.kill('SIGKILL');
  running.clear();
  if (left.length > 0) throw new Error(`tests left ${left.length} child process(es) running: ${left.map(([child, label]) => `${label} (pid ${child.pid})`).join(', ')}`);
}

/** Root hooks (loaded through .mocharc's require). */
export const mochaHooks = {
  beforeAll(this: Mocha.Context): void {
    // Added now, after every file's own root-level `after` (a shared server's stop), so that it runs last.
    this.test?.parent?.afterAll('no child process is left running', stopLeftChildren);
  },
};
