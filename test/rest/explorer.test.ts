// The explorer page in a real headless Chromium (the system's, driven by playwright-core): register, log in, create, edit, see an error at its field, log out.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** Debian's package, or another Chromium named by CHROMIUM_PATH; no browser is ever downloaded. */
function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((candidate): candidate is string => candidate !== undefined && candidate !== '' && existsSync(candidate));
}

const outputDirectory = path.join(import.meta.dirname, '..', 'output', 'explorer');
const titleField = 'data.adhocracy_core.sheets.title.ITitle.title';
const field = (name: string) => `[data-name="${name}"]`;
const errorAt = (name: string) => `[data-error-for="${name}"]`;

describe('rest/explorer in headless Chromium', function () {
  this.timeout(60_000);
  let t: TestApp;
  let server: http.Server;
  let browser: Browser;
  let page: Page;
  let base: string;
  const problems: string[] = [];

  before(async function () {
    const executablePath = findChromium();
    if (!executablePath) {
      // CI installs Debian's chromium (.ci/run): there a missing browser is a failure, never a skip.
      if (process.env.CI) throw new Error('no Chromium found (apt-get install chromium, or set CHROMIUM_PATH); CI must run the browser test');
      console.log('    skipped: no Chromium found; install Debian\'s chromium (apt-get install chromium) or set CHROMIUM_PATH');
      this.skip();
    }
    mkdirSync(outputDirectory, { recursive: true });
    t = await startTestApp({ env: { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin password' } });
    server = http.createServer(t.app.express);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Chromium's sandbox needs user namespaces, which a root process in a container does not get.
    browser = await chromium.launch({ executablePath, headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    page = await browser.newPage();
    // Script errors and refused resources (a content security policy violation shows up here) fail the test.
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && !/status of 4\d\d/.test(message.text()) && problems.push(`console: ${message.text()}`));
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await t?.close();
  });

  const shoot = (name: string) => page.screenshot({ path: path.join(outputDirectory, `${name}.png`), fullPage: true });

  async function logIn(login: string, password: string) {
    await page.fill('#login-form [name=login]', login);
    await page.fill('#login-form [name=password]', password);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#logout:not([hidden])');
  }

  async function logOut() {
    await page.click('#logout');
    await page.waitForSelector('#login-form', { state: 'visible' });
    assert.equal(await page.textContent('#who'), 'not logged in');
  }

  it('serves the page with a content security policy that allows only its own files', async () => {
    const response = await fetch(`${base}/explorer/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'; script-src 'self'/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    const script = await fetch(`${base}/explorer/explorer.js`);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
  });

  it('registers, logs in, creates a pool, edits its title, shows a validation error at its field, and logs out', async () => {
    await page.goto(`${base}/explorer/`);
    await page.waitForSelector('body[data-ready=true]');
    assert.equal(await page.textContent('#resource-type'), 'adhocracy_core.resources.root.IRootPool');

    await page.fill('#register-form [name=name]', 'Anna Müller');
    await page.fill('#register-form [name=email]', 'anna@example.org');
    await page.fill('#register-form [name=password]', 'EckVocUbs3');
    await page.click('#register-form button[type=submit]');
    await page.waitForSelector('[data-notice-for=register]:has-text("Registered Anna Müller")');
    await shoot('1-registered');

    // Anna may read the root but not create in it: the page offers no form the API would refuse.
    await logIn('anna@example.org', 'EckVocUbs3');
    assert.match((await page.textContent('#who')) ?? '', /logged in as \/principals\/users\/\d+\//);
    assert.equal(await page.locator('form[data-form=create]').count(), 0);
    await page.click('#who a');
    await page.waitForSelector('[data-sheet="adhocracy_core.sheets.principal.IUserExtended"] [data-field=email]:has-text("anna@example.org")');
    await shoot('2-anna');
    await logOut();

    await logIn('admin', 'admin password');
    await page.click('#breadcrumbs a:has-text("root")');
    await page.waitForSelector('form[data-form=create]');
    await page.selectOption('form[data-form=create] select[name=content_type]', 'adhocracy_core.resources.pool.IBasicPool');
    await page.fill(`form[data-form=create] ${field('data.adhocracy_core.sheets.name.IName.name')}`, 'park');
    await page.fill(`form[data-form=create] ${field(titleField)}`, 'Park');
    await page.click('form[data-form=create] button[type=submit]');
    await page.waitForSelector('#resource-path a:has-text("/park/")');
    assert.equal(await page.textContent('#resource-type'), 'adhocracy_core.resources.pool.IBasicPool');
    await shoot('3-pool-created');

    await page.fill(`form[data-form=edit] ${field(titleField)}`, 'City park');
    await page.click('form[data-form=edit] button[type=submit]');
    await page.waitForSelector('[data-sheet="adhocracy_core.sheets.title.ITitle"] [data-field=title]:has-text("City park")');
    const stored = await t.http.get('/park/').expect(200);
    assert.equal(stored.body.data['adhocracy_core.sheets.title.ITitle'].title, 'City park');

    await page.fill(`form[data-form=edit] ${field(titleField)}`, 'x'.repeat(201));
    await page.click('form[data-form=edit] button[type=submit]');
    const error = page.locator(`form[data-form=edit] ${errorAt(titleField)}`);
    await error.waitFor();
    await page.waitForFunction((selector) => (document.querySelector(selector)?.textContent ?? '') !== '', `form[data-form=edit] ${errorAt(titleField)}`);
    assert.match((await error.textContent()) ?? '', /title must be shorter than or equal to 200 characters/);
    assert.equal(await page.getAttribute(`form[data-form=edit] ${field(titleField)}`, 'aria-invalid'), 'true');
    assert.equal(await page.textContent('form[data-form=edit] [data-error-for=form]'), '');
    await shoot('4-validation-error');
    const unchanged = await t.http.get('/park/').expect(200);
    assert.equal(unchanged.body.data['adhocracy_core.sheets.title.ITitle'].title, 'City park');

    await logOut();
    assert.equal(await page.locator('form[data-form=edit]').count(), 0);
    await shoot('5-logged-out');
    assert.deepEqual(problems, []);
  });
});
