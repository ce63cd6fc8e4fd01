// HTTP caching: a weak ETag of what each caller is served, 304 to If-None-Match, private answers for token holders, errors never stored.
import assert from 'node:assert/strict';
import { ids, registerAndLogIn, startTestApp, type TestApp } from '../support/test-app.ts';

describe('rest/caching', () => {
  let t: TestApp;
  let admin: string;
  beforeEach(async () => {
    t = await startTestApp({ env: { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin-password' } });
    admin = (await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200)).body.user_token;
    await t.http.post('/').set('X-User-Token', admin).send({ content_type: ids.basicPool, data: { [ids.name]: { name: 'park' } } }).expect(200);
  });
  afterEach(async () => {
    await t.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => t.http.get(path).set(headers);

  it('answers If-None-Match with 304 and no body, for GET and HEAD, while the answer stays the same', async () => {
    const first = await get('/park/?elements=content').expect(200);
    const etag = first.headers.etag as string;
    assert.match(etag, /^W\/"[A-Za-z0-9_-]{20,}"$/);
    const again = await get('/park/?elements=content', { 'If-None-Match': etag }).expect(304);
    assert.equal(again.text, '');
    assert.equal(again.headers.etag, etag);
    assert.equal(again.headers['cache-control'], 'no-cache');
    assert.equal(again.headers['content-length'], undefined);
    const head = await t.http.head('/park/?elements=content').expect(200);
    assert.equal(head.headers.etag, etag);
    await t.http.head('/park/?elements=content').set('If-None-Match', etag).expect(304);
    // Among others, in its strong form, and as `*`.
    await get('/park/?elements=content', { 'If-None-Match': `W/"other", ${etag.slice(2)}` }).expect(304);
    await get('/park/?elements=content', { 'If-None-Match': '*' }).expect(304);
    await get('/park/?elements=content', { 'If-None-Match': 'W/"other"' }).expect(200);
    // Another answer has another tag.
    assert.notEqual((await get('/park/?elements=paths').expect(200)).headers.etag, (await get('/').expect(200)).headers.etag);
  });

  it('gives a pool a new tag when a child is created, changed or hidden, and the same tag to the same answer', async () => {
    const tagsOf = async () => [(await get('/park/').expect(200)).headers.etag as string, (await get('/park/?elements=content').expect(200)).headers.etag as string];
    const [emptyCount, emptyContent] = await tagsOf();
    await t.http.post('/park/').set('X-User-Token', admin).send({ content_type: ids.basicPool, data: { [ids.name]: { name: 'pond' } } }).expect(200);
    const [created, createdContent] = await tagsOf();
    await t.http.put('/park/pond/').set('X-User-Token', admin).send({ data: { [ids.title]: { title: 'Pond' } } }).expect(200);
    const [changed, changedContent] = await tagsOf();
    await t.http.put('/park/pond/').set('X-User-Token', admin).send({ data: { [ids.metadata]: { hidden: true } } }).expect(200);
    const [hidden, hiddenContent] = await tagsOf();
    // Without elements, the pool's answer holds the count: a child's title leaves it as it was.
    assert.notEqual(created, emptyCount);
    assert.equal(changed, created);
    assert.notEqual(hidden, changed);
    assert.notEqual(createdContent, emptyContent);
    assert.notEqual(changedContent, createdContent);
    assert.notEqual(hiddenContent, changedContent);
    // Anonymous callers see the pool as it was before the pond: the same answer, the same tag.
    assert.deepEqual([hidden, hiddenContent], [emptyCount, emptyContent]);
  });

  it('tags what each caller is served, marks a token holder\'s answer private, and varies on the token', async () => {
    const eve = await registerAndLogIn(t.http, 'Eve');
    const path = new URL(eve.path).pathname;
    const anonymous = await get(path).expect(200);
    const own = await get(path, { 'X-User-Token': eve.token }).expect(200);
    assert.ok(own.body.data[ids.userExtended], 'Eve reads her own e-mail address');
    assert.notEqual(own.headers.etag, anonymous.headers.etag);
    await get(path, { 'X-User-Token': eve.token, 'If-None-Match': anonymous.headers.etag as string }).expect(200);
    assert.equal(anonymous.headers['cache-control'], 'no-cache');
    assert.equal(own.headers['cache-control'], 'private, no-cache');
    for (const response of [anonymous, own]) assert.match(response.headers.vary as string, /\bX-User-Token\b/);
    const notModified = await get(path, { 'X-User-Token': eve.token, 'If-None-Match': own.headers.etag as string }).expect(304);
    assert.equal(notModified.headers['cache-control'], 'private, no-cache');
  });

  it('answers 304 to nobody who may no longer see the resource', async () => {
    const tag = (await get('/park/').expect(200)).headers.etag as string;
    await t.http.put('/park/').set('X-User-Token', admin).send({ data: { [ids.metadata]: { hidden: true } } }).expect(200);
    const gone = await get('/park/', { 'If-None-Match': tag }).expect(410);
    assert.equal(gone.headers['cache-control'], 'no-store');
    assert.equal(gone.headers.etag, undefined);
  });

  it('never lets errors or the answers of other methods be stored', async () => {
    const answers = [
      await get('/nothing/').expect(404),
      await get('/park/?depth=0').expect(400),
      await get('/', { 'X-User-Token': 'not a token' }).expect(400),
      await t.http.options('/park/').expect(200),
      await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200),
      await t.http.put('/park/').set('X-User-Token', admin).send({ data: { [ids.title]: { title: 'Park' } } }).expect(200),
      await t.http.delete('/park/').set('X-User-Token', admin).expect(200),
    ];
    for (const response of answers) {
      assert.equal(response.headers['cache-control'], 'no-store', `${response.status} ${JSON.stringify(response.body).slice(0, 100)}`);
      assert.equal(response.headers.etag, undefined);
    }
  });
});
