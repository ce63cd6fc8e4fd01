// The mails of the account lifecycle, written when the outbox sends them: the key of a link is made then, so that no key is ever stored in clear.
import type { Clock } from '../clock.ts';
import type { AccountPolicy } from '../config.ts';
import type { ComposeMail, MailJob } from '../mail/outbox.ts';
import { defaultLanguage, isMailLanguage, type MailLanguage, type MailTemplates } from '../mail/templates.ts';
import type { ResourceRecord, Storage } from '../storage/storage.ts';
import { linkPaths, type AccountKeys } from './account-keys.ts';
import { accountRecordKey } from './pending-changes.ts';
import { userEmailScope } from './login.ts';
import type { UniqueValues } from './unique-values.ts';

const userBasic = 'adhocracy_core.sheets.principal.IUserBasic';
const userExtended = 'adhocracy_core.sheets.principal.IUserExtended';

export function createAccountMails(deps: {
  storage: Storage;
  clock: Clock;
  keys: AccountKeys;
  unique: Pick<UniqueValues, 'findOwner'>;
  templates: MailTemplates;
  policy: AccountPolicy;
  /** FRONTEND_URL, the base of every link. */
  frontendUrl: string;
}): ComposeMail {
  const { storage, clock, keys, unique, templates, policy, frontendUrl } = deps;

  async function languageOf(userPath: string): Promise<MailLanguage> {
    const language = ((await storage.readRecord(accountRecordKey(userPath)))?.value as { language?: unknown } | undefined)?.language;
    return isMailLanguage(language) ? language : defaultLanguage;
  }

  const nameOf = (user: ResourceRecord) => String(user.data[userBasic]?.name ?? '');
  const emailOf = (user: ResourceRecord) => user.data[userExtended]?.email;

  async function write(kind: string, user: ResourceRecord, to: string, values: Record<string, string>) {
    const language = await languageOf(user.path);
    return { to, language, date: new Date(clock.now()), content: templates.render(kind, language, { name: nameOf(user), ...values }) };
  }

  /** Each kind answers the mail, or undefined when nothing is to be sent any more. */
  const composers: Record<string, (job: MailJob) => ReturnType<ComposeMail>> = {
    async activation(job) {
      const user = await storage.readResource(String(job.user));
      const email = user && emailOf(user);
      if (!user || typeof email !== 'string' || !(await keys.isAwaitingActivation(user))) return undefined;
      const key = await keys.issue('activation', user.path);
      if (!key) return undefined;
      return write('activation', user, email, { link: `${frontendUrl}${linkPaths.activation}${key}`, days: String(policy.activationDays) });
    },

    async 'password-reset'(job) {
      const user = await unique.findOwner(userEmailScope, String(job.email));
      const email = user && emailOf(user);
      // A hidden account gets no link, unless it awaits activation: the mail proves the address then.
      if (!user || typeof email !== 'string' || (user.hidden && !(await keys.isAwaitingActivation(user)))) return undefined;
      // A new request voids the older link: its record is written anew.
      await keys.write('password-reset', user.path, {}, clock.now() + policy.passwordResetMinutes * 60 * 1000);
      const key = await keys.issue('password-reset', user.path);
      if (!key) return undefined;
      return write('password-reset', user, email, { link: `${frontendUrl}${linkPaths['password-reset']}${key}`, minutes: String(policy.passwordResetMinutes) });
    },

    async 'email-change'(job) {
      const user = await storage.readResource(String(job.user));
      const requested = user && (await keys.read('email-change', user.path));
      const email = requested?.pending.email;
      if (!user || typeof email !== 'string') return undefined;
      const key = await keys.issue('email-change', user.path);
      if (!key) return undefined;
      return write('email-change', user, email, {
        link: `${frontendUrl}${linkPaths['email-change']}${key}`,
        new_email: email,
        hours: String(policy.emailChangeHours),
      });
    },

    async 'email-change-notice'(job) {
      const user = await storage.readResource(String(job.user));
      if (!user || typeof job.to !== 'string') return undefined;
      return write('email-change-notice', user, job.to, { new_email: String(job.email) });
    },
  };

  return async (job) => {
    const compose = composers[job.kind];
    if (!compose) throw new Error(`there is no mail of the kind ${job.kind}`);
    return compose(job);
  };
}
