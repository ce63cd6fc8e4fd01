// Guessing passwords: failures lock an address out of an account, or out of all, and throttle an account; counted in the shared store.
import { createLruCache } from '../lru.ts';
import type { Clock } from '../clock.ts';
import type { SharedRecord, Storage } from '../storage/storage.ts';
import { createKeyedHash } from './keyed-hash.ts';
import type { LockoutPolicy, LockoutSettings } from './lockout-settings.ts';

export interface LoginAttempt {
  /** The account's path, or a stand-in for an unknown login name: unknown accounts lock alike. */
  account: string;
  address: string;
}

/** An admitted attempt, counted as a failure from its start: say how it ended. */
export interface Ticket {
  /** The password was wrong: the failure stays, and may lock. Answers whether it did. */
  failed(): Promise<{ locked: boolean }>;
  /** The password was right: the address's count at this account starts over, and the account knows it. */
  succeeded(): Promise<void>;
  /** Neither (the password changed while it was checked): the attempt is not counted. */
  withdrawn(): Promise<void>;
}

export type Admission = { admitted: true; ticket: Ticket } | { admitted: false; retryAfterSeconds: number };

export interface Lockout {
  /** Counts an attempt before its password is checked, or refuses it; a refusal costs no hash. */
  admit(attempt: LoginAttempt): Promise<Admission>;
  /** Deletes the counts whose time is up. */
  sweep(): Promise<number>;
}

/** A count with nothing new for this long is forgotten. */
const forgetAfterMilliseconds = 24 * 3600 * 1000;
/** An attempt still pending after this long was lost (a crash): it no longer holds the way. */
const pendingMilliseconds = 60 * 1000;
const hourMilliseconds = 3600 * 1000;
/** Addresses that logged in successfully, kept per account, which the account-wide throttle never holds off. */
const knownAddresses = 5;
const prefix = 'lockout:';

interface FailureCount {
  failures: number;
  pending: number;
  pendingUntil: number;
  lockedUntil: number;
}

interface AccountWindow {
  windowStart: number;
  failures: number;
}

const noFailures: FailureCount = { failures: 0, pending: 0, pendingUntil: 0, lockedUntil: 0 };

function countOf(record: SharedRecord | undefined): FailureCount {
  return { ...noFailures, ...(record?.value as Partial<FailureCount> | undefined) };
}

/** How long a key is locked once its failures are `beyond` the threshold: the first lock, doubled for each further failure, up to the longest. */
export function lockSecondsAfter(policy: Pick<LockoutPolicy, 'baseLockSeconds' | 'maxLockSeconds'>, beyond: number): number {
  return Math.min(policy.baseLockSeconds * 2 ** Math.min(beyond, 30), policy.maxLockSeconds);
}

/** Keys of the counts this module keeps, for other counts of failures that the same sweep should delete. */
export const lockoutRecordPrefix = prefix;

/** `settings` holds the numbers, which may change at run time; `trackedKeys` bounds the locks kept in memory. */
export function createLockout(settings: Pick<LockoutSettings, 'current'>, trackedKeys: number, clock: Clock, storage: Storage): Lockout {
  const locks = createLruCache<string, number>(trackedKeys);
  /** Addresses and accounts are kept only as keyed hashes. */
  const keyOf = createKeyedHash(storage, 'settings:lockout-key', prefix);

  const expiry = (count: FailureCount, now: number) => Math.max(count.lockedUntil, now) + forgetAfterMilliseconds;

  /** Counts one more pending failure unless the key is locked, or at its limit with an attempt under way. */
  async function take(key: string, threshold: number): Promise<{ taken: boolean; lockedUntil: number }> {
    const cached = locks.get(key);
    if (cached !== undefined && cached > clock.now()) return { taken: false, lockedUntil: cached };
    let outcome = { taken: false, lockedUntil: 0 };
    await storage.updateRecord(key, (record) => {
      const now = clock.now();
      const count = countOf(record);
      const busy = count.pending > 0 && count.pendingUntil > now;
      if (count.lockedUntil > now || (count.failures >= threshold && busy)) {
        outcome = { taken: false, lockedUntil: Math.max(count.lockedUntil, now + 1000) };
        return record;
      }
      outcome = { taken: true, lockedUntil: 0 };
      const pending = busy ? count.pending + 1 : 1;
      const next = { ...count, failures: count.failures + 1, pending, pendingUntil: now + pendingMilliseconds };
      return { value: next, expiresAt: expiry(next, now) };
    });
    if (!outcome.taken && outcome.lockedUntil > clock.now()) locks.set(key, outcome.lockedUntil);
    return outcome;
  }

  /** Ends a pending attempt: as a failure (which may lock), or undone. Answers whether the key is now locked. */
  async function settle(policy: LockoutPolicy, key: string, threshold: number, how: 'failed' | 'undone' | 'reset'): Promise<boolean> {
    let lockedUntil = 0;
    await storage.updateRecord(key, (record) => {
      const now = clock.now();
      const count = countOf(record);
      lockedUntil = 0;
      if (how === 'reset') return undefined;
      const next = { ...count, pending: Math.max(0, count.pending - 1), failures: how === 'undone' ? Math.max(0, count.failures - 1) : count.failures };
      if (how === 'failed' && next.failures >= threshold) {
        next.lockedUntil = now + lockSecondsAfter(policy, next.failures - threshold) * 1000;
        lockedUntil = next.lockedUntil;
      }
      if (next.failures === 0 && next.pending === 0) return undefined;
      return { value: next, expiresAt: expiry(next, now) };
    });
    if (lockedUntil > 0) locks.set(key, lockedUntil);
    else if (how === 'reset') locks.delete(key);
    return lockedUntil > 0;
  }

  async function isThrottled(policy: LockoutPolicy, accountKey: string, knownKey: string, addressKey: string): Promise<boolean> {
    const window = (await storage.readRecord(accountKey))?.value as AccountWindow | undefined;
    if (!window || clock.now() - window.windowStart >= hourMilliseconds || window.failures < policy.accountFailuresPerHour) return false;
    const known = ((await storage.readRecord(knownKey))?.value as string[] | undefined) ?? [];
    return !known.includes(addressKey);
  }

  return {
    async admit({ account, address }) {
      const policy = await settings.current();
      const pairKey = await keyOf('pair', account, address);
      const addressKey = await keyOf('address', address);
      const accountKey = await keyOf('account', account);
      const knownKey = await keyOf('known', account);
      const refuse = (until: number): Admission => ({ admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((until - clock.now()) / 1000)) });

      const pair = await take(pairKey, policy.accountThreshold);
      if (!pair.taken) return refuse(pair.lockedUntil);
      const fromAddress = await take(addressKey, policy.addressThreshold);
      if (!fromAddress.taken) {
        await settle(policy, pairKey, policy.accountThreshold, 'undone');
        return refuse(fromAddress.lockedUntil);
      }
      if (await isThrottled(policy, accountKey, knownKey, addressKey)) {
        await settle(policy, pairKey, policy.accountThreshold, 'undone');
        await settle(policy, addressKey, policy.addressThreshold, 'undone');
        const window = (await storage.readRecord(accountKey))?.value as AccountWindow;
        return refuse(window.windowStart + hourMilliseconds);
      }

      return {
        admitted: true,
        ticket: {
          async failed() {
            const pairLocked = await settle(policy, pairKey, policy.accountThreshold, 'failed');
            const addressLocked = await settle(policy, addressKey, policy.addressThreshold, 'failed');
            await storage.updateRecord(accountKey, (record) => {
              const now = clock.now();
              const window = record?.value as AccountWindow | undefined;
              const current = window && now - window.windowStart < hourMilliseconds ? window : { windowStart: now, failures: 0 };
              return { value: { ...current, failures: current.failures + 1 }, expiresAt: current.windowStart + hourMilliseconds };
            });
            return { locked: pairLocked || addressLocked };
          },
          async succeeded() {
            // Only this address's count at this account starts over: a success elsewhere says nothing
            // about the guesses an address made at other accounts.
            await settle(policy, pairKey, policy.accountThreshold, 'reset');
            await settle(policy, addressKey, policy.addressThreshold, 'undone');
            await storage.updateRecord(knownKey, (record) => {
              const known = ((record?.value as string[] | undefined) ?? []).filter((key) => key !== addressKey);
              return { value: [addressKey, ...known].slice(0, knownAddresses), expiresAt: clock.now() + 365 * 24 * hourMilliseconds };
            });
          },
          async withdrawn() {
            await settle(policy, pairKey, policy.accountThreshold, 'undone');
            await settle(policy, addressKey, policy.addressThreshold, 'undone');
          },
        },
      };
    },

    async sweep() {
      const now = clock.now();
      for (const [key, until] of locks.entries()) if (until <= now) locks.delete(key);
      return storage.deleteExpiredRecords(prefix, now);
    },
  };
}
