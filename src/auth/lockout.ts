// Brute-force protection: consecutive login failures per account and per client address lock them for a while.
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.ts';

export interface LockoutPolicy {
  /** Consecutive failures for one account before it is locked. */
  accountThreshold: number;
  /** Consecutive failures from one client address before it is locked. */
  addressThreshold: number;
  /** The first lock lasts this long; each further failure doubles it, up to the maximum. */
  baseLockSeconds: number;
  maxLockSeconds: number;
  /** Accounts and addresses tracked at most; the least recently failing are forgotten first. */
  trackedKeys: number;
}

interface FailureCount {
  failures: number;
  lockedUntil: number;
}

export interface Lockout {
  isLocked(account: string, address: string): boolean;
  recordFailure(account: string, address: string): void;
  recordSuccess(account: string, address: string): void;
}

export function createLockout(policy: LockoutPolicy, clock: Clock): Lockout {
  const counts = new LRUCache<string, FailureCount>({ max: policy.trackedKeys });
  const locked = (key: string) => (counts.get(key)?.lockedUntil ?? 0) > clock.now();

  function fail(key: string, threshold: number): void {
    const count = counts.get(key) ?? { failures: 0, lockedUntil: 0 };
    count.failures += 1;
    if (count.failures >= threshold) {
      const doublings = Math.min(count.failures - threshold, 30);
      const seconds = Math.min(policy.baseLockSeconds * 2 ** doublings, policy.maxLockSeconds);
      count.lockedUntil = clock.now() + seconds * 1000;
    }
    counts.set(key, count);
  }

  return {
    isLocked: (account, address) => locked(`account:${account}`) || locked(`address:${address}`),
    recordFailure(account, address) {
      fail(`account:${account}`, policy.accountThreshold);
      fail(`address:${address}`, policy.addressThreshold);
    },
    recordSuccess(account, address) {
      counts.delete(`account:${account}`);
      counts.delete(`address:${address}`);
    },
  };
}
