// Keys of the links mailed to users: `<user name>.<secret>` with 256 random bits, kept only as a SHA-256 hash in one record per purpose and user; the newest works, once, until it expires.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { ResourceRecord, SharedRecord, Storage } from '../storage/storage.ts';
import { childNamePattern, childPath, lastSegment } from '../tree/path.ts';

export type KeyPurpose = 'activation' | 'password-reset' | 'email-change';

/** The path of each kind of link below FRONTEND_URL, as Adhocracy 3 names them; what the frontend posts back. */
export const linkPaths: Readonly<Record<KeyPurpose, string>> = {
  activation: '/activate/',
  'password-reset': '/password_reset/',
  'email-change': '/confirm_email/',
};

/** What a purpose's record holds besides its expiry: the current key's hash, once a mail made one; the new address of an email change. */
export interface Pending {
  keyHash?: string;
  email?: string;
}

export interface FoundKey {
  userPath: string;
  keyHash: string;
  pending: Pending;
}

export const pendingRecordKey = (purpose: KeyPurpose, userPath: string) => `${purpose}:${userPath}`;

/** The secret part: 32 random bytes, base64url. */
const secretPattern = /^[A-Za-z0-9_-]{43}$/;
const keyShape = /^[A-Za-z0-9_.-]{1,200}$/;

export interface AccountKeys {
  read(purpose: KeyPurpose, userPath: string): Promise<{ pending: Pending; expiresAt: number } | undefined>;
  /** Writes a purpose's record anew (a new request): any key it had stops working. */
  write(purpose: KeyPurpose, userPath: string, pending: Pending, expiresAt: number): Promise<void>;
  /** Makes a new key for a record that exists and has not expired; the older one stops working. Undefined without such a record. */
  issue(purpose: KeyPurpose, userPath: string): Promise<string | undefined>;
  /**
   * Reads a link's path: `malformed` when it is not a path of the purpose's form, `unknown` when its key
   * is not the current, unexpired key of a record; otherwise the record, left as it is.
   */
  find(purpose: KeyPurpose, path: unknown): Promise<FoundKey | 'malformed' | 'unknown'>;
  /** Removes the record if `keyHash` is still its current key and it has not expired: true for one caller only. */
  consume(purpose: KeyPurpose, userPath: string, keyHash: string): Promise<boolean>;
  remove(purpose: KeyPurpose, userPath: string): Promise<void>;
  /** Hidden, and its activation has not expired. */
  isAwaitingActivation(user: ResourceRecord): Promise<boolean>;
}

export function createAccountKeys(deps: { storage: Storage; clock: Clock; usersPool: string }): AccountKeys {
  const { storage, clock, usersPool } = deps;
  const pendingOf = (record: SharedRecord | undefined) => record?.value as Pending | undefined;
  const isLive = (record: SharedRecord | undefined): record is SharedRecord & { expiresAt: number } =>
    record !== undefined && record.expiresAt !== undefined && record.expiresAt > clock.now();

  return {
    async read(purpose, userPath) {
      const record = await storage.readRecord(pendingRecordKey(purpose, userPath));
      return isLive(record) ? { pending: pendingOf(record) ?? {}, expiresAt: record.expiresAt } : undefined;
    },

    async write(purpose, userPath, pending, expiresAt) {
      await storage.updateRecord(pendingRecordKey(purpose, userPath), () => ({ value: pending, expiresAt }));
    },

    async issue(purpose, userPath) {
      const secret = randomBytes(32).toString('base64url');
      let issued = false;
      await storage.updateRecord(pendingRecordKey(purpose, userPath), (current) => {
        issued = isLive(current);
        return isLive(current) ? { ...current, value: { ...pendingOf(current), keyHash: digestOf(secret) } } : current;
      });
      return issued ? `${lastSegment(userPath)}.${secret}` : undefined;
    },

    async find(purpose, path) {
      const prefix = linkPaths[purpose];
      if (typeof path !== 'string' || !path.startsWith(prefix) || !keyShape.test(path.slice(prefix.length))) return 'malformed';
      const key = path.slice(prefix.length);
      const dot = key.lastIndexOf('.');
      const [name, secret] = [key.slice(0, dot), key.slice(dot + 1)];
      if (dot < 0 || !childNamePattern.test(name) || !secretPattern.test(secret)) return 'unknown';
      const userPath = childPath(usersPool, name);
      const record = await storage.readRecord(pendingRecordKey(purpose, userPath));
      const pending = pendingOf(record);
      const keyHash = digestOf(secret);
      if (!isLive(record) || pending?.keyHash === undefined || !digestsEqual(pending.keyHash, keyHash)) return 'unknown';
      return { userPath, keyHash, pending };
    },

    async consume(purpose, userPath, keyHash) {
      let consumed = false;
      await storage.updateRecord(pendingRecordKey(purpose, userPath), (current) => {
        const pending = pendingOf(current);
        consumed = isLive(current) && pending?.keyHash !== undefined && digestsEqual(pending.keyHash, keyHash);
        return consumed ? undefined : current;
      });
      return consumed;
    },

    async remove(purpose, userPath) {
      await storage.updateRecord(pendingRecordKey(purpose, userPath), () => undefined);
    },

    async isAwaitingActivation(user) {
      return user.hidden === true && isLive(await storage.readRecord(pendingRecordKey('activation', user.path)));
    },
  };
}

function digestOf(secret: string): string {
  return hash('sha256', secret, 'hex');
}

function digestsEqual(stored: string, presented: string): boolean {
  const a = Buffer.from(stored, 'hex');
  const b = Buffer.from(presented, 'hex');
  return a.length === b.length && timingSafeEqual(new Uint8Array(a), new Uint8Array(b));
}
