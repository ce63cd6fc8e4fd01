// The query budget: a pool query that would read more stored resources than a request may is a 400 naming the parameter and the bound.
import assert from 'node:assert/strict';
import { ids, startTestApp, type TestApp } from '../support/test-app.ts';

const aclSheet = 'adhocracy_core.sheets.acl.IAcl';

describe('rest/query budget', function () {
  this.timeout(60_000);
  let t: TestApp;
  let admin: string;

  // Small bounds, so that a few dozen resources exceed them: 60 for users, 20 for anonymous callers.
  before(async () => {
    t = await startTestApp({
      env: {
        ADMIN_NAME: 'admin',
        ADMIN_EMAIL: 'admin@example.org',
        ADMIN_PASSWORD: 'admin-password',
        QUERY_SCAN_LIMIT: '60',
        QUERY_SCAN_LIMIT_ANONYMOUS: '20',
      },
    });
    admin = (await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200)).body.user_token;
    // /big/ holds 30 pools, the first of which holds 5 more: 35 resources below it.
    await createPool('/', 'big', 'Big');
    for (let index = 0; index < 30; index += 1) await createPool('/big/', `p${String(index).padStart(2, '0')}`, `Pool ${index}`);
    for (let index = 0; index < 5; index += 1) await createPool('/big/p00/', `c${index}`, `Child ${index}`);
    // /guarded/ holds 30 pools, one of which only admins may view.
    await createPool('/', 'guarded', 'Guarded');
    for (let index = 0; index < 29; index += 1) await createPool('/guarded/', `g${String(index).padStart(2, '0')}`, `Open ${index}`);
    await createPool('/guarded/', 'secret', 'Secret', { [aclSheet]: { acl: { view: ['admin'] } } });
  });
  after(async () => {
    await t?.close();
  });

  function createPool(parent: string, name: string, title: string, extra: Record<string, unknown> = {}) {
    return t.http
      .post(parent)
      .set('X-User-Token', admin)
      .send({ content_type: ids.basicPool, data: { [ids.name]: { name }, [ids.title]: { title }, ...extra } })
      .expect(200);
  }

  async function get(path: string, token?: string) {
    const request = t.http.get(path);
    return token === undefined ? request : request.set('X-User-Token', token);
  }

  /** Asserts the 400 of an exhausted budget, naming `parameter` and `limit`. */
  function assertOverBudget(response: { status: number; body: unknown }, parameter: string, limit: number): void {
    assert.equal(response.status, 400, JSON.stringify(response.body).slice(0, 300));
    const body = response.body as { status: string; errors: { location: string; name: string; description: string; code: string }[] };
    assert.equal(body.status, 'error');
    assert.equal(body.errors.length, 1, JSON.stringify(body));
    const [error] = body.errors;
    assert.equal(error?.location, 'querystring');
    assert.equal(error?.name, parameter);
    assert.equal(error?.code, 'too_expensive');
    assert.match(error?.description ?? '', new RegExp(`\\b${limit}\\b`), error?.description);
  }

  const poolOf = (response: { body: { data: Record<string, { elements: unknown[]; count?: number }> } }) =>
    response.body.data[ids.pool] as { elements: unknown[]; count?: number; aggregateby?: Record<string, Record<string, number>> };

  it('refuses an anonymous deep query over more resources than its bound, naming depth and the bound', async () => {
    assertOverBudget(await get('/big/?depth=all&elements=content'), 'depth', 20);
    assertOverBudget(await get('/big/?depth=2&elements=paths&limit=1&count=true'), 'depth', 20);
  });

  it('answers the same deep query to a logged-in caller, whose bound is higher', async () => {
    const response = await get('/big/?depth=all&elements=content', admin);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(poolOf(response).elements.length, 35);
  });

  it('refuses a logged-in caller past its own bound', async () => {
    assertOverBudget(await get('/?depth=all&elements=paths', admin), 'depth', 60);
  });

  it('answers anonymous queries that stay within the bound', async () => {
    const page = await get('/big/?elements=paths&limit=10');
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.equal(poolOf(page).elements.length, 10);
    assert.equal(poolOf(page).count, 30);
    const sorted = await get('/big/?elements=content&sort=title&reverse=true&limit=5');
    assert.equal(sorted.status, 200, JSON.stringify(sorted.body));
    assert.equal(poolOf(sorted).elements.length, 5);
    const deep = await get('/big/p00/?depth=all&elements=paths');
    assert.equal(deep.status, 200, JSON.stringify(deep.body));
    assert.equal(poolOf(deep).elements.length, 5);
  });

  it('names the parameter that makes a query read past its page', async () => {
    assertOverBudget(await get('/big/?elements=paths'), 'limit', 20);
    assertOverBudget(await get('/big/?elements=paths&offset=25&limit=5'), 'offset', 20);
    assertOverBudget(await get('/big/?elements=paths&sort=creation_date&limit=5&title=nothing%20like%20it'), 'title', 20);
    assertOverBudget(await get('/big/?elements=paths&limit=5&adhocracy_core.sheets.title.ITitle:title=nothing'), 'adhocracy_core.sheets.title.ITitle:title', 20);
    assertOverBudget(await get('/big/?aggregateby=creator&elements=omit'), 'aggregateby', 20);
    assertOverBudget(await get('/big/?title=Pool%201&count=true&elements=omit'), 'count', 20);
    // Any parameter lists paths: without a limit, listing is what reads past the bound.
    assertOverBudget(await get('/big/?aggregateby=creator'), 'limit', 20);
    assertOverBudget(await get('/big/?title=Pool%201'), 'title', 20);
    // Counting the 30 children is known to pass the bound of 20 before any is read.
    assertOverBudget(await get('/big/?title=Pool%201&count=true&limit=1'), 'count', 20);
  });

  it('counts the matches of a filtered page as it lists them, and leaves the count out past the bound', async () => {
    const within = await get('/big/p00/?title=["noteq","x"]&limit=2');
    assert.equal(within.status, 200, JSON.stringify(within.body));
    assert.deepEqual(poolOf(within), { elements: ['http://localhost:6541/big/p00/c0/', 'http://localhost:6541/big/p00/c1/'], count: 5 });
    const past = await get('/big/?title=["noteq","x"]&limit=5');
    assert.equal(past.status, 200, JSON.stringify(past.body));
    assert.equal(poolOf(past).elements.length, 5);
    assert.equal('count' in poolOf(past), false, JSON.stringify(poolOf(past)));
    // Asked for, the count must be there: past the bound, the query is refused.
    assertOverBudget(await get('/big/?title=["noteq","x"]&limit=5&count=true'), 'count', 20);
    const forAdmin = await get('/big/?title=["noteq","x"]&limit=5', admin);
    assert.equal(poolOf(forAdmin).count, 30);
    // Declined, the count is not made, and the page reads only what it needs: 19 of the 20 allowed.
    const declined = await get('/big/?title=["noteq","x"]&limit=15&offset=4&count=false');
    assert.equal(declined.status, 200, JSON.stringify(declined.body));
    assert.equal(poolOf(declined).elements.length, 15);
    assert.equal('count' in poolOf(declined), false);
    assert.equal('count' in poolOf(await get('/big/p00/?title=["noteq","x"]&limit=2&count=false')), false);
    assertOverBudget(await get('/big/?title=["noteq","x"]&limit=15&offset=6&count=false'), 'offset', 20);
  });

  it('counts a pool with children only some may view without reading them all', async () => {
    const anonymous = await get('/guarded/');
    assert.equal(anonymous.status, 200, JSON.stringify(anonymous.body));
    assert.equal(poolOf(anonymous).count, 29);
    const page = await get('/guarded/?elements=paths&limit=5');
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.equal(poolOf(page).count, 29);
    const forAdmin = await get('/guarded/', admin);
    assert.equal(poolOf(forAdmin).count, 30);
  });
});
