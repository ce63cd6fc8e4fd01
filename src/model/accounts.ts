// Following the links mailed to users (activation, password reset, email confirmation), asking for a reset, and sweeping away what expired.
import type { Passwords } from '../auth/passwords.ts';
import { metadataSheet, type Principal } from '../auth/permissions.ts';
import type { RateLimiter } from '../auth/rate-limit.ts';
import type { IssuedToken, Sessions } from '../auth/sessions.ts';
import type { Clock } from '../clock.ts';
import type { AccountPolicy } from '../config.ts';
import { linkPathMalformed, linkPathUnknown, tooManyRequests } from '../errors.ts';
import type { Outbox } from '../mail/outbox.ts';
import type { Registry } from '../registry.ts';
import type { ResourceRecord, SheetData, Storage } from '../storage/storage.ts';
import { pendingRecordKey, type AccountKeys, type KeyPurpose } from './account-keys.ts';
import { accountRecordKey } from './pending-changes.ts';
import type { ResourceService } from './resources.ts';
import type { UniqueValues } from './unique-values.ts';

const userExtended = 'adhocracy_core.sheets.principal.IUserExtended';
/** Records looked at per page by the sweeper. */
const sweepPage = 100;

export interface Accounts {
  /** POST /activate_account: the account becomes visible, and its owner is logged in. */
  activate(request: { path: unknown; client: string; requestId: string }): Promise<{ userPath: string; issued: IssuedToken }>;
  /**
   * POST /create_password_reset: the same work whether or not the address has an account (two counts and
   * one stored mail job; the job finds the account when it is sent), so that neither answer nor time tells.
   */
  requestPasswordReset(request: { email: string; address: string }): Promise<void>;
  /** POST /password_reset: a new password, every other session ended, an account awaiting activation activated. */
  resetPassword(request: { path: unknown; password: string; client: string; requestId: string }): Promise<{ userPath: string; issued: IssuedToken }>;
  /** POST /confirm_email: the address held for the account becomes its address. */
  confirmEmail(request: { path: unknown; requestId: string }): Promise<{ userPath: string }>;
  /** Removes accounts whose activation expired and frees addresses held past their link; answers how many of each. */
  sweep(): Promise<{ accountsRemoved: number; holdsReleased: number }>;
}

export function createAccounts(deps: {
  storage: Storage;
  registry: Registry;
  clock: Clock;
  keys: AccountKeys;
  unique: UniqueValues;
  resources: ResourceService;
  sessions: Sessions;
  passwords: Passwords;
  limiter: RateLimiter;
  outbox: Outbox;
  policy: AccountPolicy;
}): Accounts {
  const { storage, registry, clock, keys, unique, resources, sessions, passwords, limiter, outbox, policy } = deps;
  const descriptions: Record<KeyPurpose, Parameters<typeof linkPathUnknown>[0]> = {
    activation: 'activation',
    'password-reset': 'password reset',
    'email-change': 'email confirmation',
  };

  /** The account a link's key belongs to, with the key and what it holds; the 400 of its kind otherwise. */
  async function follow(purpose: KeyPurpose, path: unknown) {
    const found = await keys.find(purpose, path);
    if (found === 'malformed') throw linkPathMalformed();
    const user = found === 'unknown' ? undefined : await storage.readResource(found.userPath);
    const type = user && registry.resourceTypes.get(user.contentType);
    if (found === 'unknown' || !user || !type) throw linkPathUnknown(descriptions[purpose]);
    return { ...found, user, type, fail: () => linkPathUnknown(descriptions[purpose]) };
  }

  /** Changes made by following a link are the account's own. */
  const selfOf = (user: ResourceRecord): Principal => ({ userPath: user.path, globalRoles: new Set(), groups: [] });

  async function logIn(user: ResourceRecord, client: string): Promise<IssuedToken> {
    const stored = passwords.storedOf(user);
    if (!stored) throw new Error(`${user.path} has no password to open a session with`);
    return sessions.open(user.path, client, stored.credential);
  }

  /** Takes records under a prefix whose time is up, one at a time and only once across processes, and acts on each. */
  async function sweepExpired(purpose: KeyPurpose, act: (userPath: string, held: unknown) => Promise<boolean>): Promise<number> {
    let acted = 0;
    for (;;) {
      const page = await storage.listExpiredRecords(`${purpose}:`, clock.now(), sweepPage);
      for (const { key } of page) {
        let taken: unknown;
        await storage.updateRecord(key, (current) => {
          taken = current && current.expiresAt !== undefined && current.expiresAt <= clock.now() ? current : undefined;
          return taken ? undefined : current;
        });
        if (taken && (await act(key.slice(pendingRecordKey(purpose, '').length), (taken as { value: unknown }).value))) acted += 1;
      }
      if (page.length < sweepPage) return acted;
    }
  }

  return {
    async activate({ path, client, requestId }) {
      const { userPath, keyHash, user, type, fail } = await follow('activation', path);
      if (!passwords.storedOf(user) || !(await keys.consume('activation', userPath, keyHash))) throw fail();
      const activated = user.hidden
        ? (await resources.update({ resource: user, type, data: { [metadataSheet]: { hidden: false } }, principal: selfOf(user), requestId })).record
        : user;
      return { userPath, issued: await logIn(activated, client) };
    },

    async requestPasswordReset({ email, address }) {
      const byAddress = await limiter.count('reset-address', address, policy.resetRequestsPerAddress);
      const byEmail = await limiter.count('reset-email', email, policy.resetRequestsPerEmail);
      const refused = [byAddress, byEmail].find((outcome) => !outcome.allowed);
      if (refused && !refused.allowed) throw tooManyRequests('email', refused.retryAfterSeconds);
      await outbox.enqueue({ kind: 'password-reset', email: email.toLowerCase() });
    },

    async resetPassword({ path, password, client, requestId }) {
      const { userPath, keyHash, user, type, fail } = await follow('password-reset', path);
      const awaiting = await keys.isAwaitingActivation(user);
      if (!passwords.storedOf(user) || (user.hidden && !awaiting)) throw fail();
      const field = passwords.fieldOf(user.contentType);
      if (!field) throw fail();
      const expiresAt = (await keys.read('password-reset', userPath))?.expiresAt;
      if (!(await keys.consume('password-reset', userPath, keyHash)) || expiresAt === undefined) throw fail();
      const data: SheetData = { [field.sheetId]: { [field.fieldName]: password }, ...(awaiting ? { [metadataSheet]: { hidden: false } } : {}) };
      let changed: ResourceRecord;
      try {
        // Every session of the account ends with the password: the change is not made by one of them.
        changed = (await resources.update({ resource: user, type, data, principal: selfOf(user), requestId, client })).record;
      } catch (error) {
        // Nothing changed (hashing was refused, say): the link works again until it expires.
        await keys.write('password-reset', userPath, { keyHash }, expiresAt);
        throw error;
      }
      if (awaiting) await keys.remove('activation', userPath);
      return { userPath, issued: await logIn(changed, client) };
    },

    async confirmEmail({ path, requestId }) {
      const { userPath, keyHash, user, type, pending: held, fail } = await follow('email-change', path);
      if (typeof held.email !== 'string' || !(await keys.consume('email-change', userPath, keyHash))) throw fail();
      await resources.update({ resource: user, type, data: { [userExtended]: { email: held.email } }, principal: selfOf(user), requestId, confirmed: true });
      return { userPath };
    },

    async sweep() {
      const accountsRemoved = await sweepExpired('activation', async (userPath) => {
        const user = await storage.readResource(userPath);
        // Made visible meanwhile (an admin did): it stays.
        if (!user?.hidden) return false;
        await resources.remove(user);
        await storage.updateRecord(accountRecordKey(userPath), () => undefined);
        return true;
      });
      const holdsReleased = await sweepExpired('email-change', async (userPath, held) => {
        const email = (held as { email?: unknown } | undefined)?.email;
        if (typeof email !== 'string') return false;
        await unique.releaseHold({ sheetId: userExtended, fieldName: 'email' }, email, userPath);
        return true;
      });
      await storage.deleteExpiredRecords('password-reset:', clock.now());
      await limiter.sweep();
      return { accountsRemoved, holdsReleased };
    },
  };
}
