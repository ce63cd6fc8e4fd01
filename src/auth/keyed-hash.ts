// Names for counts kept about addresses and accounts: keyed hashes, so that the store never holds the address itself; the key is made once per store.
import { createHmac, randomBytes } from 'node:crypto';
import type { Storage } from '../storage/storage.ts';

/** Answers `<prefix><kind>:<hash of the parts>`; `settingKey` is the shared record that keeps the store's key. */
export function createKeyedHash(storage: Storage, settingKey: string, prefix: string): (kind: string, ...parts: string[]) => Promise<string> {
  let secret: Promise<string> | undefined;
  return async (kind, ...parts) => {
    secret ??= storage
      .updateRecord(settingKey, (current) => current ?? { value: randomBytes(32).toString('base64url') })
      .then((record) => String(record?.value));
    const hmac = createHmac('sha256', await secret);
    for (const part of parts) hmac.update(part).update('\0');
    return `${prefix}${kind}:${hmac.digest('base64url').slice(0, 32)}`;
  };
}
