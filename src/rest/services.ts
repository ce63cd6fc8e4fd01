// The parts that createApp wires together and every view may use.
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { PasswordHasher } from '../auth/password-hasher.ts';
import type { LockoutSettings } from '../auth/lockout-settings.ts';
import type { Passwords } from '../auth/passwords.ts';
import type { ServiceKeys } from '../auth/service-keys.ts';
import type { Sessions } from '../auth/sessions.ts';
import type { Logger } from '../log.ts';
import type { Outbox } from '../mail/outbox.ts';
import type { AccountDeletion } from '../model/account-deletion.ts';
import type { Accounts } from '../model/accounts.ts';
import type { Login } from '../model/login.ts';
import type { ResourceService } from '../model/resources.ts';
import type { Registry } from '../registry.ts';
import type { Storage } from '../storage/storage.ts';
import type { PathCodec } from '../tree/path.ts';

export interface Services {
  config: Config;
  registry: Registry;
  storage: Storage;
  codec: PathCodec;
  clock: Clock;
  log: Logger;
  hasher: PasswordHasher;
  passwords: Passwords;
  sessions: Sessions;
  serviceKeys: ServiceKeys;
  lockoutSettings: LockoutSettings;
  resources: ResourceService;
  login: Login;
  accounts: Accounts;
  accountDeletion: AccountDeletion;
  outbox: Outbox;
}
