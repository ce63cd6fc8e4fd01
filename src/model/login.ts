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
      // Every failure costs one verification, so that time tells nothing about which one it was.
      if (lockout.isLocked(account, attempt.address)) {
        await hasher.verifyDummy(attempt.password);
        onEvent('login_locked', { account: user?.path, address: attempt.address });
        throw wrongCredentials();
      }
      let valid = false;
      if (hash !== undefined) valid = await hasher.verify(hash, attempt.password);
      else await hasher.verifyDummy(attempt.password);
      if (!valid || !user || hash === undefined) {
        lockout.recordFailure(account, attempt.address);
        onEvent('login_failed', { account: user?.path, address: attempt.address, by: attempt.by });
        throw wrongCredentials();
      }
      lockout.recordSuccess(account, attempt.address);
      if (hasher.needsRehash(hash)) await resources.replacePasswordHash(user.path, hash, await hasher.hash(attempt.password));
      const { token, session } = await sessions.open(user.path, attempt.client);
      onEvent('login', { account: user.path, session: session.id, address: attempt.address, by: attempt.by });
      return { userPath: user.path, token };
    },
  };
}
