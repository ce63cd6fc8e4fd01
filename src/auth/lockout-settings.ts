// The lockout's numbers: configured at start-up, changed at run time by a service, kept in the shared store so that every process follows the same ones.
import type { Storage } from '../storage/storage.ts';

export interface LockoutPolicy {
  /** Failures from one address at one account before that address is locked out of that account. */
  accountThreshold: number;
  /** Failures from one address, at any accounts, before that address is locked out of all of them. */
  addressThreshold: number;
  /** Failures at one account per hour, from all addresses together, before addresses it does not know are held off. */
  accountFailuresPerHour: number;
  /** The first lock lasts this long; each further failure doubles it, up to the maximum. */
  baseLockSeconds: number;
  maxLockSeconds: number;
  /** Locks remembered in this process's memory, so that refusals cost no read of the store. */
  trackedKeys: number;
}

/** The numbers a service may change; how many locks a process keeps in memory stays its own setting. */
export type AdjustableLockout = Omit<LockoutPolicy, 'trackedKeys'>;

export interface LockoutSetting {
  /** The member of `/lockout_settings`. */
  wire: string;
  /** The environment variable that configures it at start-up. */
  env: string;
  key: keyof AdjustableLockout;
  fallback: number;
  min: number;
  max: number;
}

/** The one list of these settings: config.ts reads the variables from it, the view checks the members against it. */
export const lockoutSettings: readonly LockoutSetting[] = [
  { wire: 'account_failures', env: 'LOCKOUT_ACCOUNT_FAILURES', key: 'accountThreshold', fallback: 10, min: 1, max: 1000 },
  { wire: 'address_failures', env: 'LOCKOUT_ADDRESS_FAILURES', key: 'addressThreshold', fallback: 100, min: 1, max: 100_000 },
  { wire: 'account_rate', env: 'LOCKOUT_ACCOUNT_RATE', key: 'accountFailuresPerHour', fallback: 100, min: 1, max: 1_000_000 },
  { wire: 'lock_seconds', env: 'LOCKOUT_SECONDS', key: 'baseLockSeconds', fallback: 60, min: 1, max: 86400 },
  { wire: 'max_lock_seconds', env: 'LOCKOUT_MAX_SECONDS', key: 'maxLockSeconds', fallback: 3600, min: 1, max: 7 * 86400 },
];

/** What a service changed: a number replaces the configured value, null goes back to it. */
export type LockoutChange = Partial<Record<keyof AdjustableLockout, number | null>>;

export interface LockoutSettings {
  /** The policy in force now: the configured one with what was changed at run time over it. */
  current(): Promise<LockoutPolicy>;
  /** The values in force, and which of them were changed at run time. */
  describe(): Promise<{ policy: LockoutPolicy; changed: (keyof AdjustableLockout)[] }>;
  /** Stores a change for every process; answers as describe() does after it. */
  change(change: LockoutChange): Promise<{ policy: LockoutPolicy; changed: (keyof AdjustableLockout)[] }>;
}

const recordKey = 'settings:lockout-policy';

export function createLockoutSettings(configured: LockoutPolicy, storage: Storage): LockoutSettings {
  const storedOf = (value: unknown): Partial<AdjustableLockout> => {
    const stored: Partial<AdjustableLockout> = {};
    if (typeof value !== 'object' || value === null) return stored;
    for (const { key } of lockoutSettings) {
      const number = (value as Record<string, unknown>)[key];
      if (typeof number === 'number') stored[key] = number;
    }
    return stored;
  };
  // Read from the store every time: a login costs a password hash, beside which one read is nothing, and
  // so a change holds in every process from the next attempt on.
  const readStored = async () => storedOf((await storage.readRecord(recordKey))?.value);
  const describeStored = (stored: Partial<AdjustableLockout>) => ({
    policy: { ...configured, ...stored },
    changed: lockoutSettings.flatMap(({ key }) => (key in stored ? [key] : [])),
  });
  return {
    async current() {
      return { ...configured, ...(await readStored()) };
    },
    async describe() {
      return describeStored(await readStored());
    },
    async change(change) {
      const written = await storage.updateRecord(recordKey, (record) => {
        const next: Partial<AdjustableLockout> = storedOf(record?.value);
        for (const { key } of lockoutSettings) {
          const value = change[key];
          if (value === null) delete next[key];
          else if (value !== undefined) next[key] = value;
        }
        return Object.keys(next).length === 0 ? undefined : { value: next };
      });
      return describeStored(storedOf(written?.value));
    },
  };
}
