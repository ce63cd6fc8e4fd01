// Login sessions: random tokens stored only as hashes, idle and absolute expiry, revocation, a bounded cache.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createLruCache } from '../lru.ts';
import type { Clock } from '../clock.ts';
import { invalidToken } from '../errors.ts';
import type { SessionRecord, Storage } from '../storage/storage.ts';
import { childNamePattern, childPath, lastSegment } from '../tree/path.ts';

export interface SessionPolicy {
  /** A token unused this long is dead. */
  idleSeconds: number;
  /** Every token is dead this long after login, however busy. */
  maxAgeSeconds: number;
  /** The last-use time is written at most this often per token. */
  touchIntervalSeconds: number;
  /** A cached session is re-read from storage this often, so revocations by other processes arrive. */
  revalidateSeconds: number;
  /** Sessions held in memory at most. */
  cacheSize: number;
  /** Live sessions a user may have; a login beyond that ends the least recently used. */
  perUser: number;
}

export interface Authenticated {
  userPath: string;
  sessionId: string;
  /** The password the session was opened with: the caller checks it is still the user's. */
  credential: string;
  /** When the session dies unless it is used again before (milliseconds since the epoch). */
  expiresAt: number;
}

export interface SessionView {
  id: string;
  createdAt: number;
  lastUsedAt: number;
  client: string;
  /** The service that opened it for the user, if one did. */
  openedBy?: string;
  /** When it dies unless used before (never after expiresAt), and when it dies however busy; milliseconds since the epoch. */
  idleExpiresAt: number;
  expiresAt: number;
}

/** A new token, handed out once, with its session and when it expires. */
export interface IssuedToken {
  token: string;
  session: SessionRecord;
  idleExpiresAt: number;
  expiresAt: number;
}

interface CachedSession {
  record: SessionRecord;
  /** record.secretHash as bytes, decoded once rather than on every request. */
  secretDigest: Uint8Array;
  /** When storage last confirmed the session still exists. */
  verifiedAt: number;
  /** When lastUsedAt was last written to storage. */
  writtenAt: number;
}

export interface Sessions {
  /**
   * Starts a session bound to a credential; the token is returned here once and never stored. `openedBy`
   * names the service that opens it for the user, which the session keeps.
   */
  open(userPath: string, client: string, credential: string, options?: { openedBy?: string }): Promise<IssuedToken>;
  /** Resolves a token to its user, or throws the `Invalid user token` error; counts as a use of it. */
  authenticate(token: string): Promise<Authenticated>;
  /** What a live token stands for, without counting as a use (its idle expiry stays); undefined for any other. */
  inspect(token: string): Promise<(Authenticated & { session: SessionView }) | undefined>;
  list(userPath: string): Promise<SessionView[]>;
  /** One live session, as it stands after the request that asks (which used it). */
  describe(userPath: string, sessionId: string): Promise<SessionView | undefined>;
  /** A live session's own document (null when none was written); undefined when there is no such live session. */
  readState(userPath: string, sessionId: string): Promise<{ state: unknown } | undefined>;
  /** Writes a live session's document (null removes it); false when there is no such live session. */
  writeState(userPath: string, sessionId: string, state: unknown): Promise<boolean>;
  /** Ends one session; false if there was none. */
  revoke(userPath: string, sessionId: string): Promise<boolean>;
  /** Ends every session of a user except one (the caller's own, after a password change). */
  revokeAll(userPath: string, except?: string): Promise<number>;
  /** Binds a session to a new credential: the caller's own, which goes on after it changed its password. */
  rebind(userPath: string, sessionId: string, credential: string): Promise<void>;
  /** Makes the next use of a user's cached sessions read storage again (after the user was removed). */
  forgetUser(userPath: string): void;
  /** Deletes expired sessions from storage. */
  sweep(): Promise<number>;
  /** Writes the pending last-use times. */
  flush(): Promise<void>;
}

/**
 * A token is `<user name>.<session id>.<secret>`: the first two locate the session document with one
 * key read, the 256-bit secret proves it; storage keeps only the secret's SHA-256.
 */
const tokenPattern = /^(.+)\.([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/;

export function createSessions(options: {
  storage: Storage;
  clock: Clock;
  policy: SessionPolicy;
  usersPool: string;
  onBackgroundError: (error: unknown) => void;
}): Sessions {
  const { storage, clock, policy, usersPool } = options;
  const cache = createLruCache<string, CachedSession>(policy.cacheSize);
  const pendingWrites = new Set<Promise<void>>();
  const cacheKey = (userPath: string, id: string) => `${userPath}|${id}`;

  const isAlive = (session: SessionRecord, now: number) => now <= expiryOf(session).idleExpiresAt;

  /** The last moments it is alive: either limit, checked as isAlive checks them. */
  function expiryOf(session: Pick<SessionRecord, 'createdAt' | 'lastUsedAt'>): { idleExpiresAt: number; expiresAt: number } {
    const expiresAt = session.createdAt + policy.maxAgeSeconds * 1000;
    return { idleExpiresAt: Math.min(session.lastUsedAt + policy.idleSeconds * 1000, expiresAt), expiresAt };
  }

  const viewOf = ({ id, createdAt, lastUsedAt, client, openedBy }: SessionRecord): SessionView => ({
    id,
    createdAt,
    lastUsedAt,
    client,
    ...(openedBy === undefined ? {} : { openedBy }),
    ...expiryOf({ createdAt, lastUsedAt }),
  });

  /** The live session a token proves, with its user and id; undefined for a malformed, unknown, wrong or dead one. */
  function touchLater(entry: CachedSession, now: number): void {
    entry.writtenAt = now;
    const { userPath, id } = entry.record;
    const write = storage
      .touchSession(userPath, id, entry.record.lastUsedAt)
      .catch(options.onBackgroundError)
      .finally(() => pendingWrites.delete(write));
    pendingWrites.add(write);
  }

  async function lookup(userPath: string, id: string, now: number): Promise<CachedSession | undefined> {
    const key = cacheKey(userPath, id);
    const cached = cache.get(key);
    if (cached && now - cached.verifiedAt < policy.revalidateSeconds * 1000) return cached;
    const stored = await storage.readSession(userPath, id);
    if (!stored) {
      cache.delete(key);
      return undefined;
    }
    // Keep the newer last use: this process may know of uses it has not written yet.
    const lastUsedAt = Math.max(stored.lastUsedAt, cached?.record.lastUsedAt ?? 0);
    const entry: CachedSession = {
      record: { ...stored, lastUsedAt },
      secretDigest: new Uint8Array(Buffer.from(stored.secretHash, 'hex')),
      verifiedAt: now,
      writtenAt: cached?.writtenAt ?? stored.lastUsedAt,
    };
    cache.set(key, entry);
    return entry;
  }

  /** The live session a token names and proves, if there is one. */
  async function find(token: string, now: number): Promise<CachedSession | undefined> {
    const match = tokenPattern.exec(token);
    if (!match || !childNamePattern.test(match[1] as string)) return undefined;
    const [, userName, id, secret] = match as unknown as [string, string, string, string];
    const userPath = childPath(usersPool, userName);
    const entry = await lookup(userPath, id, now);
    if (!entry || !digestsEqual(entry.secretDigest, sha256(secret))) return undefined;
    if (!isAlive(entry.record, now)) {
      cache.delete(cacheKey(userPath, id));
      return undefined;
    }
    return entry;
  }

  const describe = ({ record }: CachedSession): Authenticated => ({
    userPath: record.userPath,
    sessionId: record.id,
    credential: record.credential ?? '',
    // The moment it dies unless used again: the nearer of both limits.
    expiresAt: expiryOf(record).idleExpiresAt,
  });

  /** Past the limit, the sessions used longest ago end; dead ones go first, since they are oldest in use. */
  async function endLeastRecentlyUsed(userPath: string, keep: string): Promise<void> {
    const stored = await storage.listSessions(userPath);
    if (stored.length <= policy.perUser) return;
    const byLastUse = stored
      .filter((session) => session.id !== keep)
      .map((session) => ({ id: session.id, lastUsedAt: Math.max(session.lastUsedAt, cache.get(cacheKey(userPath, session.id))?.record.lastUsedAt ?? 0) }))
      .sort((a, b) => a.lastUsedAt - b.lastUsedAt);
    for (const { id } of byLastUse.slice(0, stored.length - policy.perUser)) {
      cache.delete(cacheKey(userPath, id));
      await storage.deleteSession(userPath, id);
    }
  }

  return {
    async open(userPath, client, credential, openOptions = {}) {
      const now = clock.now();
      const session: SessionRecord = {
        id: randomBytes(16).toString('hex'),
        userPath,
        secretHash: '',
        createdAt: now,
        lastUsedAt: now,
        client: describeClient(client),
        credential,
        ...(openOptions.openedBy === undefined ? {} : { openedBy: openOptions.openedBy }),
      };
      const secret = randomBytes(32).toString('base64url');
      const secretDigest = sha256(secret);
      session.secretHash = Buffer.from(secretDigest).toString('hex');
      await storage.insertSession(session);
      cache.set(cacheKey(userPath, session.id), { record: session, secretDigest, verifiedAt: now, writtenAt: now });
      await endLeastRecentlyUsed(userPath, session.id);
      return { token: `${lastSegment(userPath)}.${session.id}.${secret}`, session, ...expiryOf(session) };
    },

    async authenticate(token) {
      const now = clock.now();
      const entry = await find(token, now);
      if (!entry) throw invalidToken();
      entry.record.lastUsedAt = now;
      if (now - entry.writtenAt >= policy.touchIntervalSeconds * 1000) touchLater(entry, now);
      return describe(entry);
    },

    async inspect(token) {
      const entry = await find(token, clock.now());
      return entry && { ...describe(entry), session: viewOf(entry.record) };
    },

    async list(userPath) {
      const now = clock.now();
      const sessions = await storage.listSessions(userPath);
      return sessions
        .map((session) => {
          const cached = cache.get(cacheKey(userPath, session.id));
          return { ...session, lastUsedAt: Math.max(session.lastUsedAt, cached?.record.lastUsedAt ?? 0) };
        })
        .filter((session) => isAlive(session, now))
        .map(viewOf);
    },

    async describe(userPath, sessionId) {
      const now = clock.now();
      const entry = await lookup(userPath, sessionId, now);
      return entry && isAlive(entry.record, now) ? viewOf(entry.record) : undefined;
    },

    // A session that expired but is not swept yet is as gone as a swept one, its document too.
    async readState(userPath, sessionId) {
      const entry = await lookup(userPath, sessionId, clock.now());
      return entry && isAlive(entry.record, clock.now()) ? storage.readSessionState(userPath, sessionId) : undefined;
    },

    async writeState(userPath, sessionId, state) {
      const entry = await lookup(userPath, sessionId, clock.now());
      return entry !== undefined && isAlive(entry.record, clock.now()) && storage.writeSessionState(userPath, sessionId, state);
    },

    async revoke(userPath, sessionId) {
      cache.delete(cacheKey(userPath, sessionId));
      return storage.deleteSession(userPath, sessionId);
    },

    async revokeAll(userPath, except) {
      const sessions = await storage.listSessions(userPath);
      let revoked = 0;
      for (const session of sessions) {
        if (session.id === except) continue;
        cache.delete(cacheKey(userPath, session.id));
        if (await storage.deleteSession(userPath, session.id)) revoked += 1;
      }
      return revoked;
    },

    async rebind(userPath, sessionId, credential) {
      const cached = cache.get(cacheKey(userPath, sessionId));
      if (cached) cached.record = { ...cached.record, credential };
      await storage.rebindSession(userPath, sessionId, credential);
    },

    forgetUser(userPath) {
      for (const key of [...cache.keys()]) {
        if (key.startsWith(`${userPath}|`)) {
          const entry = cache.get(key);
          if (entry) entry.verifiedAt = 0;
        }
      }
    },

    async sweep() {
      const now = clock.now();
      return storage.deleteSessionsWhere((session) => {
        const cached = cache.get(cacheKey(session.userPath, session.id));
        const lastUsedAt = Math.max(session.lastUsedAt, cached?.record.lastUsedAt ?? 0);
        return !isAlive({ ...session, lastUsedAt }, now);
      });
    },

    async flush() {
      await Promise.all([...pendingWrites]);
    },
  };
}

/** The User-Agent as people read it: 200 characters at most, cut between characters, no control characters. */
function describeClient(userAgent: string): string {
  return [...userAgent.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')].slice(0, 200).join('');
}

function sha256(value: string): Uint8Array {
  return new Uint8Array(hash('sha256', value, 'buffer'));
}

function digestsEqual(stored: Uint8Array, presented: Uint8Array): boolean {
  // A stored hash that is not 32 bytes of hex decodes shorter and matches nothing.
  return stored.length === presented.length && timingSafeEqual(stored, presented);
}
