// Aliases over HTTP: every wrong list refused naming the field, and private aliases on no path to anybody but the user, admins and services.
import assert from 'node:assert/strict';
import { walk } from '../../src/auth/access.ts';
import { can } from '../../src/auth/permissions.ts';
import type { ResourceType } from '../../src/resource-type.ts';
import type { ResourceRecord } from '../../src/storage/storage.ts';
import { ids, registerAndLogIn, startTestApp, type TestApp } from '../support/test-app.ts';

const aliasesSheet = 'adhocracy_ts.sheets.principal.IAliases';
const secret = 'hidden.player@example.org';

describe('rest/aliases', function () {
  this.timeout(60_000);
  let t: TestApp;
  let anna: { path: string; token: string };
  let bert: { path: string; token: string };
  let admin: string;

  before(async () => {
    t = await startTestApp({ env: { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin-password' } });
    admin = (await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200)).body.user_token;
    anna = await registerAndLogIn(t.http, 'Anna');
    bert = await registerAndLogIn(t.http, 'Bert');
    await t.http
      .put(new URL(anna.path).pathname)
      .set('X-User-Token', anna.token)
      .send({ data: { [aliasesSheet]: { aliases: [{ type: 'handle', value: 'AnnaPlays', public: true }, { type: 'email', value: secret }] } } })
      .expect(200);
  });
  after(async () => {
    await t?.close();
  });

  const putAliases = (aliases: unknown) =>
    t.http.put(new URL(anna.path).pathname).set('X-User-Token', anna.token).send({ data: { [aliasesSheet]: { aliases } } });

  const wrongLists: [unknown, string][] = [
    ['AnnaWins', 'aliases must be an array'],
    [['AnnaWins'], 'aliases[0]: must be an object {type, value, public}'],
    [[{ type: 'handle', value: 'A', colour: 'red' }], 'aliases[0]: has the unknown member colour'],
    [[{ value: 'A' }], 'aliases[0]: type must be a string'],
    [[{ type: 'nickname', value: 'A' }], 'aliases[0]: type must be one of email, handle, phone, facebook.id, google.id, apple.id, steam.id'],
    [[{ type: '__proto__', value: 'A' }], 'aliases[0]: type must be one of email, handle, phone, facebook.id, google.id, apple.id, steam.id'],
    [[{ type: 'handle' }], 'aliases[0]: value must be a non-empty string'],
    [[{ type: 'handle', value: '' }], 'aliases[0]: value must be a non-empty string'],
    [[{ type: 'handle', value: 'Anna Wins' }], 'aliases[0]: value must be 1 to 64 characters without spaces or control characters'],
    [[{ type: 'handle', value: 'x'.repeat(65) }], 'aliases[0]: value must be 1 to 64 characters without spaces or control characters'],
    [[{ type: 'email', value: 'anna' }], 'aliases[0]: value must be a valid email address'],
    [[{ type: 'phone', value: '030 1234567' }], 'aliases[0]: value must be an international number such as +49 30 1234567'],
    [[{ type: 'google.id', value: 'a/b' }], 'aliases[0]: value must be 1 to 128 letters, digits, dots, colons, underscores or dashes'],
    [[{ type: 'handle', value: 'A', public: 'yes' }], 'aliases[0]: public must be true or false'],
    [[{ type: 'handle', value: 'A' }, { type: 'handle', value: 'ａ' }], 'aliases[1]: the same alias as aliases[0]'],
    [Array.from({ length: 101 }, (_, index) => ({ type: 'handle', value: `h${index}` })), 'aliases must contain no more than 100 elements'],
  ];
  for (const [aliases, description] of wrongLists) {
    it(`refuses ${JSON.stringify(aliases).slice(0, 60)} with "${description}" and stores nothing`, async () => {
      const answer = await putAliases(aliases).expect(400);
      assert.deepEqual(answer.body.errors, [{ location: 'body', name: `data.${aliasesSheet}.aliases`, description, code: 'invalid_value' }]);
      const stored = (await t.app.services.storage.readResource(new URL(anna.path).pathname))?.data[aliasesSheet]?.aliases as { value: string }[];
      assert.deepEqual(stored.map((alias) => alias.value), ['AnnaPlays', secret]);
    });
  }

  it('shows a private alias on no path to another user or to anonymous callers', async () => {
    const annaPath = new URL(anna.path).pathname;
    const reads = (token: string | undefined) => {
      const as = <R extends { set(name: string, value: string): R }>(request: R) => (token === undefined ? request : request.set('X-User-Token', token));
      return [
        as(t.http.get(annaPath)),
        as(t.http.head(annaPath)),
        as(t.http.options(annaPath)),
        as(t.http.get('/principals/users/?elements=content')),
        as(t.http.get('/?elements=content&depth=all')),
        as(t.http.get(`/principals/users/?sheet=${aliasesSheet}&elements=content&count=true`)),
        as(t.http.get(`/principals/users/?alias=email:${secret}&elements=content`)),
        as(t.http.get(`/principals/users/?alias=email:${secret.toUpperCase()}`)),
        as(t.http.get(`/principals/users/?aggregateby=${aliasesSheet}:aliases`)),
        as(t.http.get(`/principals/users/?sort=${aliasesSheet}:aliases`)),
        as(t.http.get(`/principals/users/?${aliasesSheet}:aliases=${secret}`)),
        as(t.http.get(`/principals/users/?${aliasesSheet}:latest=${secret}`)),
        as(t.http.post('/batch')).send([
          { method: 'GET', path: annaPath },
          { method: 'GET', path: `/principals/users/?alias=email:${secret}&elements=content` },
        ]),
      ];
    };
    for (const token of [undefined, bert.token]) {
      for (const [index, answer] of (await Promise.all(reads(token))).entries()) {
        assert.ok(answer.status < 500, `read ${index}: ${answer.status} ${answer.text}`);
        assert.ok(!(answer.text ?? "").toLowerCase().includes(secret), `read ${index} shows the private alias: ${answer.text}`);
      }
    }
    // The same reads show it to Anna and to admins, so the checks above look where it would be.
    for (const token of [anna.token, admin]) {
      const answers = await Promise.all(reads(token));
      assert.ok(answers[0]?.text.includes(secret));
      assert.ok(answers[3]?.text.includes(secret));
      assert.equal(answers[6]?.body.data[ids.pool].count, 1);
    }
  });

  it('gives the service role to a principal acting as a service, which reads private items', async () => {
    const { storage, registry } = t.app.services;
    const lineage = (await storage.readResources(['/', '/principals/', '/principals/users/', new URL(anna.path).pathname])) as ResourceRecord[];
    const typeOf = (record: ResourceRecord) => registry.resourceTypes.get(record.contentType) as ResourceType;
    const field = registry.sheets.get(aliasesSheet)?.fields.aliases;
    assert.ok(field);
    const service = walk({ service: 'games', globalRoles: new Set(), groups: [] }, lineage, typeOf).access;
    assert.ok(service);
    assert.ok(service.roles.has('service'));
    assert.equal(can(service.roles, { kind: 'read-private-items', field }), true);
    const stranger = walk({ globalRoles: new Set(), groups: [] }, lineage, typeOf).access;
    assert.ok(stranger);
    assert.equal(can(stranger.roles, { kind: 'read-private-items', field }), false);
  });
});
