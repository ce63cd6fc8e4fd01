// The mail and account settings: checked at start-up with the variable named, SMTP credentials never in a message.
import assert from 'node:assert/strict';
import { ConfigError, readConfig } from '../../src/config.ts';

describe('mail/config', () => {
  it('defaults to files in the outbox, links to PUBLIC_URL and no activation', () => {
    const { mail, accounts } = readConfig({ PUBLIC_URL: 'https://api.example.org' });
    assert.equal(mail.smtpUrl, undefined);
    assert.equal(mail.frontendUrl, 'https://api.example.org');
    assert.equal(mail.from, 'noreply@api.example.org');
    assert.equal(accounts.activation, 'none');
    assert.equal(accounts.activationDays, 7);
  });

  it('refuses an SMTP_URL that is not smtp:// or smtps://, without quoting it', () => {
    for (const value of ['http://mailer:never-printed@mail.example.org', 'smtp://', 'not a url never-printed']) {
      assert.throws(
        () => readConfig({ SMTP_URL: value }),
        (error: unknown) => error instanceof ConfigError && error.message.includes('SMTP_URL') && !error.message.includes('never-printed'),
        value,
      );
    }
    assert.equal(readConfig({ SMTP_URL: 'smtps://mailer:secret@mail.example.org:465' }).mail.smtpUrl, 'smtps://mailer:secret@mail.example.org:465');
  });

  it('names the variable of a bad MAIL_FROM, FRONTEND_URL, ACCOUNT_ACTIVATION or ACTIVATION_DAYS', () => {
    for (const [name, value] of [['MAIL_FROM', 'nobody'], ['FRONTEND_URL', 'ftp://x'], ['ACCOUNT_ACTIVATION', 'email'], ['ACTIVATION_DAYS', '0']] as const) {
      assert.throws(() => readConfig({ [name]: value }), (error: unknown) => error instanceof ConfigError && error.message.startsWith(name), name);
    }
    assert.equal(readConfig({ MAIL_FROM: 'Adhocracy <noreply@example.org>' }).mail.from, 'Adhocracy <noreply@example.org>');
  });
});
