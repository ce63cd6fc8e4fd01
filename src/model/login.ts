// Logging in, and confirming the current password before a sensitive change: constant-time checks bound to the credential verified.
import type { Lockout } from '../auth/lockout.ts';
import type { PasswordHasher } from '../auth/password-hasher.ts';
import type { Passwords } from '../auth/passwords.ts';
import type { Principal } from '../auth/permissions.ts';
import type { IssuedToken, Sessions } from '../auth/sessions.ts';
import { accountNotActivated, currentPasswordRequired, currentPasswordWrong, tooManyAttempts, wrongCredentials } from '../errors.ts';
import type { AccountKeys } from './account-keys.ts';
import type { Storage } from '../storage/storage.ts';
import type { ResourceService } from './resources.ts';

export const userNameScope = 'user-name';
export const userEmailScope = 'user-email';

export interface LoginAttempt {
  by: 'name' | 'email';
  login: string;
  password: string;
  client: string;
  address: string;
  /** Carried on the security events this attempt logs. */
  requestId: string;
}

export interface Login {
  /**
   * Answers the user's path and a new token, or the one error for every kind of failure; an account
   * awaiting activation is told so, but only to whoever gave its password.
   */
  logIn(attempt: LoginAttempt): Promise<{ userPath: string; issued: IssuedToken }>;
  /**
   * Checks the caller's current password before a change that needs it (`action` says what it does, as
   * `Changing password`); a missing or wrong one is a 400 naming where it is expected.
   */
  confirmPassword(request: { principal: Principal; password: string | undefined; action: string; address: string; requestId: string }): Promise<void>;
}

export function createLogin(deps: {
  resources: ResourceService;
  storage: Storage;
  passwords: Passwords;
  hasher: PasswordHasher;
  sessions: Sessions;
  lockout: Lockout;
  keys: Pick<AccountKeys, 'isAwaitingActivation'>;
  onEvent: (event: string, fields: Record<string, unknown>) => void;
}): Login {
  const { resources, storage, passwords, hasher, sessions, lockout, keys, onEvent } = deps;
  return {
    async logIn(attempt) {
      const user = await resources.findByUnique(attempt.by === 'name' ? userNameScope : userEmailScope, attempt.login);
      const stored = user ? passwords.storedOf(user) : undefined;
      // An unknown login locks alike, so that locking tells nothing about which accounts exist.
      const account = user?.path ?? `unknown:${attempt.login.toLowerCase()}`;
      // Security events name the account by its path, or null: an unknown login may be a mistyped password.
      const event = { request_id: attempt.requestId, account: user?.path ?? null, address: attempt.address, by: attempt.by };
      const admission = await lockout.admit({ account, address: attempt.address });
      if (!admission.admitted) {
        onEvent('login_locked', event);
        throw tooManyAttempts('login', admission.retryAfterSeconds);
      }
      const { ticket } = admission;
      // A wrong password and an unknown account cost one verification each, so that time tells nothing.
      let valid = false;
      try {
        if (stored !== undefined) valid = await hasher.verify(stored.hash, attempt.password, attempt.address);
        else await hasher.verifyDummy(attempt.password, attempt.address);
      } catch (error) {
        await ticket.withdrawn();
        throw error;
      }
      if (!valid || !user || stored === undefined) {
        const { locked } = await ticket.failed();
        onEvent('login_failed', event);
        if (locked) onEvent('login_lockout', event);
        throw wrongCredentials();
      }
      // The password verified must still be the user's, and the user still one who may log in: either
      // may have changed while the hash was checked.
      const now = await storage.readResource(user.path);
      if (now && passwords.storedOf(now)?.credential === stored.credential && (await keys.isAwaitingActivation(now))) {
        await ticket.succeeded();
        onEvent('login_refused', { ...event, reason: 'not_activated' });
        throw accountNotActivated(attempt.by);
      }
      if (!now || now.hidden || passwords.storedOf(now)?.credential !== stored.credential) {
        await ticket.withdrawn();
        onEvent('login_refused', { ...event, reason: !now || now.hidden ? 'hidden' : 'password_changed' });
        throw wrongCredentials();
      }
      await ticket.succeeded();
      if (hasher.needsRehash(stored.hash)) await resources.replacePasswordHash(user.path, stored.hash, await hasher.hash(attempt.password, attempt.address));
      const issued = await sessions.open(user.path, attempt.client, stored.credential);
      onEvent('login', { ...event, session: issued.session.id });
      return { userPath: user.path, issued };
    },

    async confirmPassword({ principal, password, action, address, requestId }) {
      if (password === undefined || password === '') throw currentPasswordRequired(action);
      const caller = principal.userPath === undefined ? undefined : await storage.readResource(principal.userPath);
      const stored = caller ? passwords.storedOf(caller) : undefined;
      if (!caller || stored === undefined) throw currentPasswordWrong();
      // A wrong current password is a failed login of the caller's account from its address: the same
      // counts and locks, so that a stolen token is no way to guess the password.
      const event = { request_id: requestId, account: caller.path, address, by: 'current_password' };
      const admission = await lockout.admit({ account: caller.path, address });
      if (!admission.admitted) {
        onEvent('login_locked', event);
        throw tooManyAttempts('current-password', admission.retryAfterSeconds);
      }
      let valid: boolean;
      try {
        valid = await hasher.verify(stored.hash, password, address);
      } catch (error) {
        await admission.ticket.withdrawn();
        throw error;
      }
      if (!valid) {
        const { locked } = await admission.ticket.failed();
        onEvent('login_failed', event);
        if (locked) onEvent('login_lockout', event);
        throw currentPasswordWrong();
      }
      await admission.ticket.succeeded();
    },
  };
}
