// Adhocracy's rates index, worked out per query: only the newest version of each visible rate counts, and the query budget bounds the work.
import assert from 'node:assert/strict';
import { ids, registerAndLogIn, startTestApp, type TestApp } from '../support/test-app.ts';

const document = 'adhocracy_core.resources.document.IDocument';
const rate = 'adhocracy_core.resources.rate.IRate';
const rateVersion = 'adhocracy_core.resources.rate.IRateVersion';
const rateSheet = 'adhocracy_core.sheets.rate.IRate';
const follows = 'adhocracy_core.sheets.versions.IVersionable';

describe('rest/rates', function () {
  this.timeout(60_000);
  let t: TestApp;
  let admin: string;
  let version: string;
  const raters: { path: string; token: string; rate?: string }[] = [];

  before(async () => {
    t = await startTestApp({ env: { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin password', QUERY_SCAN_LIMIT_ANONYMOUS: '4' } });
    admin = (await t.http.post('/login_username').send({ name: 'admin', password: 'admin password' }).expect(200)).body.user_token;
    await t.http.post('/').set('X-User-Token', admin).send({ content_type: ids.basicPool, data: { [ids.name]: { name: 'docs' } } }).expect(200);
    const item = await t.http.post('/docs/').set('X-User-Token', admin).send({ content_type: document, data: {} }).expect(200);
    version = item.body.first_version_path;
    for (const [index, value] of [1, 1, -1].entries()) {
      const rater = await registerAndLogIn(t.http, `Rater ${index}`);
      await t.http.put(new URL(rater.path).pathname).set('X-User-Token', admin).send({ data: { [ids.permissions]: { roles: ['participant'] } } }).expect(200);
      const created = await t.http.post(`${new URL(item.body.path).pathname}rates/`).set('X-User-Token', rater.token).send({ content_type: rate, data: {} }).expect(200);
      await t.http
        .post(new URL(created.body.path).pathname)
        .set('X-User-Token', rater.token)
        .send({ content_type: rateVersion, data: { [rateSheet]: { subject: rater.path, object: version, rate: value }, [follows]: { follows: [created.body.first_version_path] } } })
        .expect(200);
      raters.push({ ...rater, rate: created.body.path });
    }
  });
  after(() => t.close());

  const ratesOfVersion = async (token?: string) => {
    const request = t.http.get('/docs/?depth=all&tag=LAST&aggregateby=rates&sheet=adhocracy_core.sheets.rate.IRateable');
    const answer = await (token ? request.set('X-User-Token', token) : request).expect(200);
    return answer.body.data[ids.pool].aggregateby.rates as Record<string, number>;
  };

  it('sums the newest rate of each rater, and leaves out a rate that was hidden', async () => {
    assert.deepEqual(await ratesOfVersion(admin), { '1': 1 });
    await t.http.put(new URL(raters[0]?.rate as string).pathname).set('X-User-Token', admin).send({ data: { [ids.metadata]: { hidden: true } } }).expect(200);
    assert.deepEqual(await ratesOfVersion(admin), { '0': 1 });
  });

  it('charges the rates it reads to the query budget, and names what ran it out', async () => {
    const item = new URL(version).pathname.replace(/VERSION_\d+\/$/, '');
    // The item's three children fit the anonymous budget of four; their three rate versions do not.
    await t.http.get(`${item}?elements=paths`).expect(200);
    const answer = await t.http.get(`${item}?sort=rates`).expect(400);
    assert.deepEqual(answer.body.errors.map((error: { name: string; code: string }) => [error.name, error.code]), [['rates', 'too_expensive']]);
    await t.http.get(`${item}?sort=rates`).set('X-User-Token', admin).expect(200);
  });
});
