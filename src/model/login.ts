// Logging in, and confirming the current password before a sensitive change: constant-time checks bound to the credential verified.
import type { Lockout } from '../auth/lockout.ts';
import type { PasswordHasher } from '../auth/password-hasher.ts';
import type { Passwords } from '../auth/passwords.ts';
import type { Principal } from '../auth/permissions.ts';
import type { Sessions } from '../auth/sessions.ts';
import { currentPasswordRequired, currentPasswordWrong, wrongCredentials } from '../errors.ts';
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
  /** Answers the user's path and a new token, or the one error for every kind of failure. */
  logIn(attempt: LoginAttempt): Promise<{ userPath: string; token: string }>;
  /**
   * Checks the caller's current password before a change that needs it (`fields` names what is
   * changed); a missing or wrong one is a 400 naming where it is expected.
   */
  confirmPassword(request: { principal: Principal; password: string | undefined; fields: readonly string[] }): Promise<void>;
}

export function createLogin(deps: {
  resources: ResourceService;
  storage: Storage;
  passwords: Passwords;
  hasher: PasswordHasher;
  sessions: Sessions;
  lockout: Lockout;
  onEvent: (event: string, fields: Record<string, unknown>) => void;
}): Login {
  const { resources, storage, passwords, hasher, sessions, lockout, onEvent } = deps;
  return {
    async logIn(attempt) {
      const user = await resources.findByUnique(attempt.by === 'name' ? userNameScope : userEmailScope, attempt.login);
      const stored = user ? passwords.storedOf(user) : undefined;
      const account = user?.path ?? `unknown:${attempt.login.toLowerCase()}`;
      // Security events name the account by its path, or null: an unknown login may be a mistyped password.
      const event = { request_id: attempt.requestId, account: user?.path ?? null, address: attempt.address, by: attempt.by };
      // Every failure costs one verification, so that time tells nothing about which one it was.
      if (lockout.isLocked(account, attempt.address)) {
        await hasher.verifyDummy(attempt.password);
        onEvent('login_locked', event);
        throw wrongCredentials();
      }
      let valid = false;
      if (stored !== undefined) valid = await hasher.verify(stored.hash, attempt.password);
      else await hasher.verifyDummy(attempt.password);
      if (!valid || !user || stored === undefined) {
        lockout.recordFailure(account, attempt.address);
        onEvent('login_failed', event);
        if (lockout.isLocked(account, attempt.address)) onEvent('login_lockout', event);
        throw wrongCredentials();
      }
      // The password verified must still be the user's, and the user still one who may log in: either
      // may have changed while the hash was checked.
      const now = await storage.readResource(user.path);
      if (!now || now.hidden || passwords.storedOf(now)?.credential !== stored.credential) {
        onEvent('login_refused', { ...event, reason: !now || now.hidden ? 'hidden' : 'password_changed' });
        throw wrongCredentials();
      }
      lockout.recordSuccess(account, attempt.address);
      if (hasher.needsRehash(stored.hash)) await resources.replacePasswordHash(user.path, stored.hash, await hasher.hash(attempt.password));
      const { token, session } = await sessions.open(user.path, attempt.client, stored.credential);
      onEvent('login', { ...event, session: session.id });
      return { userPath: user.path, token };
    },

    async confirmPassword({ principal, password, fields }) {
      if (password === undefined || password === '') throw currentPasswordRequired(fields);
      const caller = principal.userPath === undefined ? undefined : await storage.readResource(principal.userPath);
      const stored = caller ? passwords.storedOf(caller) : undefined;
      if (stored === undefined || !(await hasher.verify(stored.hash, password))) throw currentPasswordWrong();
    },
  };
}
