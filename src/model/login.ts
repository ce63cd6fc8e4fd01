// Logging in: find the user by name or email, verify the password in constant time, open a session.
import type { Lockout } from '../auth/lockout.ts';
import type { PasswordHasher } from '../auth/password-hasher.ts';
import type { Sessions } from '../auth/sessions.ts';
import { wrongCredentials } from '../errors.ts';
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
}

export function createLogin(deps: {
  resources: ResourceService;
  hasher: PasswordHasher;
  sessions: Sessions;
  lockout: Lockout;
  onEvent: (event: string, fields: Record<string, unknown>) => void;
}): Login {
  const { resources, hasher, sessions, lockout, onEvent } = deps;
  return {
    async logIn(attempt) {
      const user = await resources.findByUnique(attempt.by === 'name' ? userNameScope : userEmailScope, attempt.login);
      const hash = user ? resources.passwordHashOf(user) : undefined;
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
      if (hash !== undefined) valid = await hasher.verify(hash, attempt.password);
      else await hasher.verifyDummy(attempt.password);
      if (!valid || !user || hash === undefined) {
        lockout.recordFailure(account, attempt.address);
        onEvent('login_failed', event);
        if (lockout.isLocked(account, attempt.address)) onEvent('login_lockout', event);
        throw wrongCredentials();
      }
      lockout.recordSuccess(account, attempt.address);
      if (hasher.needsRehash(hash)) await resources.replacePasswordHash(user.path, hash, await hasher.hash(attempt.password));
      const { token, session } = await sessions.open(user.path, attempt.client);
      onEvent('login', { ...event, session: session.id });
      return { userPath: user.path, token };
    },
  };
}
