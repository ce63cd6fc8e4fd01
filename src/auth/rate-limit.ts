// Requests counted per hour and key (a client address, an email address) in the shared store, so that every process sharing it counts together.
import type { Clock } from '../clock.ts';
import type { Storage } from '../storage/storage.ts';
import { createKeyedHash } from './keyed-hash.ts';

const hourMilliseconds = 3600 * 1000;
const prefix = 'rate:';

interface Window {
  windowStart: number;
  count: number;
}

export interface RateLimiter {
  /** Counts one request of `kind` for `key`; answers how long to wait when this one is beyond `perHour`. */
  count(kind: string, key: string, perHour: number): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
  /** Deletes the counts whose hour is over. */
  sweep(): Promise<number>;
}

export function createRateLimiter(storage: Storage, clock: Clock): RateLimiter {
  const keyOf = createKeyedHash(storage, 'settings:rate-limit-key', prefix);
  return {
    async count(kind, key, perHour) {
      let window: Window = { windowStart: 0, count: 0 };
      await storage.updateRecord(await keyOf(kind, key.toLowerCase()), (record) => {
        const now = clock.now();
        const current = record?.value as Window | undefined;
        const open = current && now - current.windowStart < hourMilliseconds ? current : { windowStart: now, count: 0 };
        // Refused requests count too: a client that keeps asking stays refused until its hour is over.
        window = { ...open, count: open.count + 1 };
        return { value: window, expiresAt: window.windowStart + hourMilliseconds };
      });
      if (window.count <= perHour) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.windowStart + hourMilliseconds - clock.now()) / 1000)) };
    },
    sweep: () => storage.deleteExpiredRecords(prefix, clock.now()),
  };
}
