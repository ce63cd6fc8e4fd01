// Other backends acting as a named service with a key from SERVICE_KEYS: compared in constant time; wrong keys counted per address and locked out like wrong passwords.
import { hash, timingSafeEqual } from 'node:crypto';
import { createLruCache } from '../lru.ts';
import type { Clock } from '../clock.ts';
import { invalidServiceKey, serviceKeyFromBrowser, tooManyAttempts } from '../errors.ts';
import type { Storage } from '../storage/storage.ts';
import { createKeyedHash } from './keyed-hash.ts';
import { lockoutRecordPrefix, lockSecondsAfter } from './lockout.ts';
import type { LockoutSettings } from './lockout-settings.ts';

export interface ServiceKey {
  name: string;
  key: string;
}

export interface ServiceKeyRequest {
  key: string;
  /** The client's address: wrong keys are counted, and locked out, per address. */
  address: string;
  /** Browsers send Origin; a service key is for backends, never for a page's scripts. */
  origin: string | undefined;
  /** Carried on the security events it logs. */
  requestId: string;
}

export interface ServiceKeys {
  /** The name of the service whose key this is; throws the 403 of a wrong key, or the 429 of a locked address. */
  identify(request: ServiceKeyRequest): Promise<string>;
}

interface FailureCount {
  failures: number;
  lockedUntil: number;
}

/** A count with nothing new for this long is forgotten, as the lockout forgets failed logins. */
const forgetAfterMilliseconds = 24 * 3600 * 1000;

const digestOf = (key: string) => new Uint8Array(hash('sha256', key, 'buffer'));

export interface ServiceKeysDeps {
  storage: Storage;
  clock: Clock;
  settings: Pick<LockoutSettings, 'current'>;
  onEvent: (event: string, fields: Record<string, unknown>) => void;
  /**
   * Addresses whose count this process keeps in memory, and how long it trusts one before reading the
   * store again: what other processes counted arrives that late (TOKEN_REVALIDATE_SECONDS, as for sessions).
   */
  cache: { size: number; revalidateSeconds: number };
}

export function createServiceKeys(keys: readonly ServiceKey[], deps: ServiceKeysDeps): ServiceKeys {
  const { storage, clock, settings, onEvent } = deps;
  // A service's every request would otherwise read the store once more than a user's, whose session is cached.
  const counts = createLruCache<string, { count: FailureCount | undefined; readAt: number }>(deps.cache.size);
  const revalidateMilliseconds = deps.cache.revalidateSeconds * 1000;
  // The counts live beside the lockout's, under its prefix and keyed hash, so that its sweep deletes them too.
  const keyOf = createKeyedHash(storage, 'settings:lockout-key', lockoutRecordPrefix);
  const known = keys.map(({ name, key }) => ({ name, digest: digestOf(key) }));

  /** Every configured key is compared, whichever matches: the time taken tells nothing about which, or how much of one, is right. */
  function match(presented: string): string | undefined {
    const digest = digestOf(presented);
    let found: string | undefined;
    for (const { name, digest: expected } of known) {
      if (timingSafeEqual(digest, expected) && found === undefined) found = name;
    }
    return found;
  }

  return {
    async identify({ key, address, origin, requestId }) {
      const event = { request_id: requestId, address };
      if (origin !== undefined) {
        onEvent('service_key_from_browser', event);
        throw serviceKeyFromBrowser();
      }
      const countKey = await keyOf('service-key', address);
      const now = clock.now();
      const cached = counts.get(address);
      let count: FailureCount | undefined;
      if (cached && now - cached.readAt < revalidateMilliseconds) count = cached.count;
      else {
        count = (await storage.readRecord(countKey))?.value as FailureCount | undefined;
        counts.set(address, { count, readAt: now });
      }
      // A locked address is refused whatever it sends, the right key included: else locking would not stop guessing.
      if (count && count.lockedUntil > now) {
        onEvent('service_key_locked', event);
        throw tooManyAttempts('service-key', Math.max(1, Math.ceil((count.lockedUntil - now) / 1000)));
      }
      const name = match(key);
      if (name !== undefined) {
        if (count && count.failures > 0) {
          await storage.updateRecord(countKey, () => undefined);
          counts.set(address, { count: undefined, readAt: clock.now() });
        }
        return name;
      }
      const policy = await settings.current();
      let locked = false;
      const written = await storage.updateRecord(countKey, (record) => {
        const at = clock.now();
        const current = (record?.value as FailureCount | undefined) ?? { failures: 0, lockedUntil: 0 };
        const failures = current.failures + 1;
        locked = failures >= policy.accountThreshold;
        const lockedUntil = locked ? at + lockSecondsAfter(policy, failures - policy.accountThreshold) * 1000 : current.lockedUntil;
        return { value: { failures, lockedUntil }, expiresAt: Math.max(lockedUntil, at) + forgetAfterMilliseconds };
      });
      counts.set(address, { count: written?.value as FailureCount, readAt: clock.now() });
      onEvent('service_key_failed', event);
      if (locked) onEvent('service_key_lockout', event);
      throw invalidServiceKey();
    },
  };
}
