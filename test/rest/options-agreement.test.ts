// For every built-in type and every kind of caller, what OPTIONS offers is exactly what POST, PUT and DELETE allow.
import assert from 'node:assert/strict';
import { isEditableIn } from '../../src/registry.ts';
import { isPasswordField, type FieldDefinition } from '../../src/sheet.ts';
import { ids, registerAndLogIn, startTestApp, type TestApp } from '../support/test-app.ts';

interface Caller {
  name: string;
  token?: string;
  password?: string;
}

let unique = 0;
const next = () => `n${(unique += 1)}`;

/** A value the field accepts, fresh where it must be unique. */
function sampleValue(field: FieldDefinition): unknown {
  if (field.containertype === 'list') return [];
  switch (field.valuetype) {
    case 'adhocracy_core.schema.ACM':
      return {};
    case 'adhocracy_core.schema.Boolean':
      return false;
    case 'adhocracy_core.schema.Email':
      return `${next()}@example.org`;
    case 'adhocracy_core.schema.Password':
      return `password-${next()}`;
    case 'adhocracy_core.schema.TimeZoneName':
      return 'Europe/Berlin';
    default:
      return `value ${next()}`;
  }
}

const versionable = 'adhocracy_core.sheets.versions.IVersionable';

/** A body that creates one of the type in the pool: a version follows the pool's newest version. */
function creationBody(typeId: string, last?: string): object {
  const bodies: Record<string, object> = {
    [ids.basicPool]: { content_type: ids.basicPool, data: { [ids.name]: { name: next() } } },
    [ids.user]: {
      content_type: ids.user,
      data: { [ids.userBasic]: { name: next() }, [ids.userExtended]: { email: `${next()}@example.org` }, [ids.password]: { password: 'EckVocUbs3' } },
    },
    'adhocracy_core.resources.principal.IGroup': { content_type: 'adhocracy_core.resources.principal.IGroup', data: { [ids.name]: { name: next() } } },
  };
  if (!bodies[typeId] && typeId.endsWith('Version')) return { content_type: typeId, data: { [versionable]: { follows: [last] } } };
  return bodies[typeId] ?? { content_type: typeId, data: {} };
}

describe('rest/OPTIONS agrees with the verbs', function () {
  this.timeout(120_000);
  let t: TestApp;
  const callers: Caller[] = [];

  before(async () => {
    t = await startTestApp({ env: { ADMIN_NAME: 'admin', ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'admin-password' } });
    const admin = await t.http.post('/login_username').send({ name: 'admin', password: 'admin-password' }).expect(200);
    callers.push({ name: 'anonymous' }, { name: 'admin', token: admin.body.user_token, password: 'admin-password' });
    for (const role of ['none', 'contributor', 'editor', 'moderator']) {
      const user = await registerAndLogIn(t.http, `user ${role}`, `${role}@example.org`);
      if (role !== 'none') {
        await t.http
          .put(new URL(user.path).pathname)
          .set('X-User-Token', admin.body.user_token)
          .send({ data: { [ids.permissions]: { roles: [role] } } })
          .expect(200);
      }
      callers.push({ name: role === 'none' ? 'user' : role, token: user.token, password: 'EckVocUbs3' });
    }
    // `self` and `creator` are held on particular resources: see resourcesOfEveryType.
    callers.push({ name: 'self', password: 'EckVocUbs3' }, { name: 'creator', password: 'EckVocUbs3' });
  });
  after(async () => {
    await t.close();
  });

  /**
   * One resource of every built-in type. The pool is made by the `creator` caller (an editor, so that
   * it may), the user registers itself, and `self` and `creator` get tokens for them.
   */
  async function resourcesOfEveryType(): Promise<string[]> {
    const admin = callers.find((caller) => caller.name === 'admin') as Caller;
    const creator = await registerAndLogIn(t.http, `creator ${next()}`, `${next()}@example.org`);
    await t.http
      .put(new URL(creator.path).pathname)
      .set('X-User-Token', admin.token as string)
      .send({ data: { [ids.permissions]: { roles: ['editor'] } } })
      .expect(200);
    (callers.find((caller) => caller.name === 'creator') as Caller).token = creator.token;
    const pool = await t.http.post('/').set('X-User-Token', creator.token).send(creationBody(ids.basicPool)).expect(200);
    const group = await t.http
      .post('/principals/groups/')
      .set('X-User-Token', admin.token as string)
      .send(creationBody('adhocracy_core.resources.principal.IGroup'))
      .expect(200);
    const document = await t.http.post(new URL(pool.body.path).pathname).set('X-User-Token', creator.token).send(creationBody('adhocracy_core.resources.document.IDocument')).expect(200);
    const self = await registerAndLogIn(t.http, `self ${next()}`, `${next()}@example.org`);
    Object.assign(callers.find((caller) => caller.name === 'self') as Caller, { token: self.token, password: 'EckVocUbs3' });
    // A pool only moderators and admins may view, and a hidden one, each with a pool inside.
    const restricted = await t.http
      .post('/')
      .set('X-User-Token', admin.token as string)
      .send({ content_type: ids.basicPool, data: { [ids.name]: { name: next() }, 'adhocracy_core.sheets.acl.IAcl': { acl: { view: ['moderator', 'admin'] } } } })
      .expect(200);
    const hidden = await t.http.post('/').set('X-User-Token', admin.token as string).send(creationBody(ids.basicPool)).expect(200);
    const below: string[] = [];
    for (const top of [restricted.body.path, hidden.body.path]) {
      below.push((await t.http.post(new URL(top).pathname).set('X-User-Token', admin.token as string).send(creationBody(ids.basicPool)).expect(200)).body.path);
    }
    await t.http.put(new URL(hidden.body.path).pathname).set('X-User-Token', admin.token as string).send({ data: { [ids.metadata]: { hidden: true } } }).expect(200);
    const item = document.body.path as string;
    // The user last: `self` may delete its own account, which ends its token.
    return [
      '/',
      '/principals/',
      '/principals/users/',
      '/principals/groups/',
      document.body.first_version_path,
      `${item}comments/`,
      item,
      pool.body.path,
      group.body.path,
      ...below,
      restricted.body.path,
      hidden.body.path,
      self.path,
    ].map(
      (path: string) => new URL(path, 'http://localhost:6541').pathname,
    );
  }

  const send = (request: ReturnType<TestApp['http']['get']>, caller: Caller) => {
    if (caller.token) request.set('X-User-Token', caller.token);
    if (caller.password) request.set('X-User-Password', caller.password);
    return request;
  };

  it('for creating, editing and deleting', async () => {
    const { registry } = t.app.services;
    const checked: string[] = [];
    for (const caller of callers) {
      for (const path of await resourcesOfEveryType()) {
        const options = await send(t.http.options(path), caller);
        if (options.status !== 200) {
          // What the caller may not see, it may do nothing to, and every verb says why alike.
          assert.ok([403, 410].includes(options.status), `${caller.name} OPTIONS ${path}: ${options.status}`);
          for (const verb of ['get', 'post', 'put', 'delete'] as const) {
            const response = await send(t.http[verb](path), caller).send(verb === 'post' ? creationBody(ids.basicPool) : verb === 'put' ? { data: { [ids.title]: { title: 'x' } } } : undefined as never);
            assert.equal(response.status, options.status, `${caller.name} ${verb} ${path}`);
          }
          checked.push(`${caller.name} refused on ${path}`);
          continue;
        }
        const context = await t.app.services.storage.readResource(path);
        const type = registry.resourceTypes.get(context?.contentType ?? '');
        assert.ok(type);

        const offeredTypes = ((options.body.POST?.request_body ?? []) as { content_type: string }[]).map((stub) => stub.content_type);
        const last = context?.data['adhocracy_core.sheets.tags.ITags']?.LAST as string | undefined;
        for (const elementType of type.elementTypes) {
          const response = await send(t.http.post(path), caller).send(creationBody(elementType, last));
          const expected = offeredTypes.includes(elementType) ? 200 : 403;
          assert.equal(response.status, expected, `${caller.name} POST ${elementType} to ${path}: ${JSON.stringify(response.body)}`);
          checked.push(`${caller.name} POST ${path}`);
        }

        // A sheet is offered when the caller may edit some field of it (a creator may delete, not hide),
        // and refused when it may edit none.
        const offeredSheets = Object.keys(options.body.PUT?.request_body.data ?? {});
        for (const sheet of registry.sheetsOf(type.id)) {
          const editable = Object.entries(sheet.fields).filter(([, field]) => isEditableIn(type, sheet, field));
          const statuses: number[] = [];
          for (const [fieldName, field] of editable) {
            const value = sampleValue(field);
            const response = await send(t.http.put(path), caller).send({ data: { [sheet.id]: { [fieldName]: value } } });
            // Changing one's own password changes what X-User-Password must say next.
            if (isPasswordField(field) && response.status === 200 && caller.name === 'self') caller.password = String(value);
            assert.ok([200, 403].includes(response.status), `${caller.name} PUT ${sheet.id}.${fieldName} on ${path}: ${JSON.stringify(response.body)}`);
            statuses.push(response.status);
          }
          if (editable.length === 0) continue;
          const offered = offeredSheets.includes(sheet.id);
          assert.equal(statuses.includes(200), offered, `${caller.name} PUT ${sheet.id} on ${path}: offered ${offered}, answered ${statuses.join(', ')}`);
          checked.push(`${caller.name} PUT ${path} ${sheet.id}`);
        }

        const deleting = await send(t.http.delete(path), caller);
        assert.equal(deleting.status, options.body.DELETE ? 200 : 403, `${caller.name} DELETE ${path}`);
        checked.push(`${caller.name} DELETE ${path}`);
      }
    }
    assert.ok(checked.length > 100, `only ${checked.length} checks ran`);
    const refused = (name: string) => checked.filter((entry) => entry.startsWith(`${name} refused`)).length;
    // Each caller's round has two tops and a pool below each: anonymous sees none, moderators the restricted ones, admins all.
    assert.equal(refused('anonymous'), 4);
    assert.equal(refused('moderator'), 2);
    assert.equal(refused('admin'), 0);
  });
});
