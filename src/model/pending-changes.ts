// What registering and changing an account leave waiting for a mailed link: an activation, a new email address held for its owner.
import type { Clock } from '../clock.ts';
import type { AccountPolicy } from '../config.ts';
import { badRequest } from '../errors.ts';
import type { Outbox } from '../mail/outbox.ts';
import type { MailLanguage } from '../mail/templates.ts';
import type { Registry } from '../registry.ts';
import type { ResourceRecord, Storage } from '../storage/storage.ts';
import type { AccountKeys } from './account-keys.ts';
import type { UniqueValues } from './unique-values.ts';

/** Where the language of a user's mails is kept: chosen by the registration's Accept-Language. */
export const accountRecordKey = (userPath: string) => `account:${userPath}`;

export interface PendingWrite {
  /** After the resource was written. */
  committed(): Promise<void>;
  /** After the write failed for good. */
  abandoned(): Promise<void>;
}

export interface PendingChanges {
  /** Before a new account is stored: whether it starts hidden, awaiting activation, and what follows its write. */
  registering(path: string, language: MailLanguage, options: { activated: boolean }): Promise<PendingWrite & { hidden: boolean }>;
  /**
   * A new value of a field confirmed by mail (an email address): claimed for the owner until the link
   * expires, so that nobody else takes it meanwhile (a 400 when somebody holds it), and mailed: a link to
   * the new address, a notice to the current one. The resource keeps its value until the link is followed.
   */
  holdChange(request: { record: ResourceRecord; sheetId: string; fieldName: string; value: string }): Promise<PendingWrite>;
}

export function createPendingChanges(deps: {
  storage: Storage;
  registry: Registry;
  clock: Clock;
  keys: AccountKeys;
  unique: UniqueValues;
  outbox: Outbox;
  policy: AccountPolicy;
}): PendingChanges {
  const { storage, registry, clock, keys, unique, outbox, policy } = deps;

  return {
    async registering(path, language, { activated }) {
      const awaiting = policy.activation === 'mail' && !activated;
      // Written before the account: a crash between the two leaves a record the sweeper drops, never an account nobody can activate.
      if (awaiting) await keys.write('activation', path, {}, clock.now() + policy.activationDays * 24 * 3600 * 1000);
      return {
        hidden: awaiting,
        async committed() {
          await storage.updateRecord(accountRecordKey(path), () => ({ value: { language } }));
          if (awaiting) await outbox.enqueue({ kind: 'activation', user: path });
        },
        async abandoned() {
          if (awaiting) await keys.remove('activation', path);
        },
      };
    },

    async holdChange({ record, sheetId, fieldName, value }) {
      const userPath = record.path;
      const field = { sheetId, fieldName };
      const expiresAt = clock.now() + policy.emailChangeHours * 3600 * 1000;
      if (!(await unique.hold(field, value, userPath, expiresAt))) {
        const description = registry.sheets.get(sheetId)?.fields[fieldName]?.unique?.description ?? 'The value is not unique';
        throw badRequest('body', `data.${sheetId}.${fieldName}`, description, 'not_unique');
      }
      const previous = (await keys.read('email-change', userPath))?.pending.email;
      const current = record.data[sheetId]?.[fieldName];
      return {
        async committed() {
          await keys.write('email-change', userPath, { email: value }, expiresAt);
          if (previous !== undefined && previous !== value) await unique.releaseHold(field, previous, userPath);
          await outbox.enqueue({ kind: 'email-change', user: userPath });
          if (typeof current === 'string') await outbox.enqueue({ kind: 'email-change-notice', user: userPath, to: current, email: value });
        },
        async abandoned() {
          if (previous !== value) await unique.releaseHold(field, value, userPath);
        },
      };
    },
  };
}
