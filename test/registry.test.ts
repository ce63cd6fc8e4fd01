// The registry: what the built-in sheets and types add up to, and the start-up checks that stop a bad sheet.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultSheetsDirectory } from '../src/app.ts';
import { createRegistry, loadSheets, sheetFileName } from '../src/registry.ts';
import { defineResourceType } from '../src/resource-type.ts';
import { builtinResourceTypes } from '../src/resources/index.ts';
import { viewNames } from '../src/rest/routes.ts';
import { defineSheet, IsString, type SheetDefinition } from '../src/sheet.ts';

class TextSchema {
  @IsString()
  text!: string;
}

const textSheet = (overrides: Partial<SheetDefinition> = {}) =>
  defineSheet({
    id: 'example.sheets.IText',
    schema: TextSchema,
    fields: { text: { valuetype: 'adhocracy_core.schema.Text' } },
    resourceTypes: ['adhocracy_core.resources.pool.IBasicPool'],
    permissions: { read: ['everyone'], edit: ['admin'] },
    ...overrides,
  });

describe('registry', () => {
  it('gives every built-in type the sheets reviewed here', async () => {
    const registry = createRegistry({
      sheets: await loadSheets(defaultSheetsDirectory),
      resourceTypes: builtinResourceTypes,
      reservedNames: viewNames,
    });
    const map = Object.fromEntries([...registry.resourceTypes.keys()].map((type) => [type, registry.sheetsOf(type).map((sheet) => sheet.id)]));
    // A change here changes the API: review it, then update this snapshot.
    assert.deepEqual(map, {
      'adhocracy_core.resources.root.IRootPool': [
        'adhocracy_core.sheets.acl.IAcl',
        'adhocracy_core.sheets.local_roles.ILocalRoles',
        'adhocracy_core.sheets.metadata.IMetadata',
        'adhocracy_core.sheets.name.IName',
        'adhocracy_core.sheets.pool.IPool',
      ],
      'adhocracy_core.resources.pool.IBasicPool': [
        'adhocracy_core.sheets.acl.IAcl',
        'adhocracy_core.sheets.description.IDescription',
        'adhocracy_core.sheets.local_roles.ILocalRoles',
        'adhocracy_core.sheets.metadata.IMetadata',
        'adhocracy_core.sheets.name.IName',
        'adhocracy_core.sheets.pool.IPool',
        'adhocracy_core.sheets.title.ITitle',
      ],
      'adhocracy_core.resources.principal.IPrincipalsService': [
        'adhocracy_core.sheets.acl.IAcl',
        'adhocracy_core.sheets.local_roles.ILocalRoles',
        'adhocracy_core.sheets.metadata.IMetadata',
        'adhocracy_core.sheets.name.IName',
        'adhocracy_core.sheets.pool.IPool',
      ],
      'adhocracy_core.resources.principal.IUsersService': [
        'adhocracy_core.sheets.acl.IAcl',
        'adhocracy_core.sheets.local_roles.ILocalRoles',
        'adhocracy_core.sheets.metadata.IMetadata',
        'adhocracy_core.sheets.name.IName',
        'adhocracy_core.sheets.pool.IPool',
      ],
      'adhocracy_core.resources.principal.IGroupsService': [
        'adhocracy_core.sheets.acl.IAcl',
        'adhocracy_core.sheets.local_roles.ILocalRoles',
        'adhocracy_core.sheets.metadata.IMetadata',
        'adhocracy_core.sheets.name.IName',
        'adhocracy_core.sheets.pool.IPool',
      ],
      'adhocracy_core.resources.principal.IUser': [
        'adhocracy_core.sheets.acl.IAcl',
        'adhocracy_ts.sheets.principal.IAliases',
        'adhocracy_core.sheets.local_roles.ILocalRoles',
        'adhocracy_core.sheets.metadata.IMetadata',
        'adhocracy_core.sheets.principal.IPasswordAuthentication',
        'adhocracy_core.sheets.principal.IPermissions',
        'adhocracy_core.sheets.pool.IPool',
        'adhocracy_core.sheets.principal.IUserBasic',
        'adhocracy_core.sheets.principal.IUserExtended',
      ],
      'adhocracy_core.resources.principal.IGroup': [
        'adhocracy_core.sheets.acl.IAcl',
        'adhocracy_core.sheets.principal.IGroup',
        'adhocracy_core.sheets.local_roles.ILocalRoles',
        'adhocracy_core.sheets.metadata.IMetadata',
        'adhocracy_core.sheets.name.IName',
        'adhocracy_core.sheets.pool.IPool',
      ],
      'adhocracy_core.resources.document.IDocument': [
        'adhocracy_core.sheets.acl.IAcl',
        'adhocracy_core.sheets.local_roles.ILocalRoles',
        'adhocracy_core.sheets.metadata.IMetadata',
        'adhocracy_core.sheets.pool.IPool',
        'adhocracy_core.sheets.tags.ITags',
        'adhocracy_core.sheets.versions.IVersions',
      ],
      'adhocracy_core.resources.document.IDocumentVersion': [
        'adhocracy_core.sheets.acl.IAcl',
        'adhocracy_core.sheets.comment.ICommentable',
        'adhocracy_core.sheets.document.IDocument',
        'adhocracy_core.sheets.local_roles.ILocalRoles',
        'adhocracy_core.sheets.metadata.IMetadata',
        'adhocracy_core.sheets.rate.IRateable',
        'adhocracy_core.sheets.title.ITitle',
        'adhocracy_core.sheets.versions.IVersionable',
      ],
      'adhocracy_core.resources.paragraph.IParagraph': [
        'adhocracy_core.sheets.acl.IAcl',
        'adhocracy_core.sheets.local_roles.ILocalRoles',
        'adhocracy_core.sheets.metadata.IMetadata',
        'adhocracy_core.sheets.pool.IPool',
        'adhocracy_core.sheets.tags.ITags',
        'adhocracy_core.sheets.versions.IVersions',
      ],
      'adhocracy_core.resources.paragraph.IParagraphVersion': [
        'adhocracy_core.sheets.acl.IAcl',
        'adhocracy_core.sheets.comment.ICommentable',
        'adhocracy_core.sheets.local_roles.ILocalRoles',
        'adhocracy_core.sheets.metadata.IMetadata',
        'adhocracy_core.sheets.document.IParagraph',
        'adhocracy_core.sheets.versions.IVersionable',
      ],
      'adhocracy_core.resources.comment.ICommentsService': [
        'adhocracy_core.sheets.acl.IAcl',
        'adhocracy_core.sheets.local_roles.ILocalRoles',
        'adhocracy_core.sheets.metadata.IMetadata',
        'adhocracy_core.sheets.pool.IPool',
      ],
      'adhocracy_core.resources.comment.IComment': [
        'adhocracy_core.sheets.acl.IAcl',
        'adhocracy_core.sheets.local_roles.ILocalRoles',
        'adhocracy_core.sheets.metadata.IMetadata',
        'adhocracy_core.sheets.pool.IPool',
        'adhocracy_core.sheets.tags.ITags',
        'adhocracy_core.sheets.versions.IVersions',
      ],
      'adhocracy_core.resources.comment.ICommentVersion': [
        'adhocracy_core.sheets.acl.IAcl',
        'adhocracy_core.sheets.comment.IComment',
        'adhocracy_core.sheets.comment.ICommentable',
        'adhocracy_core.sheets.local_roles.ILocalRoles',
        'adhocracy_core.sheets.metadata.IMetadata',
        'adhocracy_core.sheets.rate.IRateable',
        'adhocracy_core.sheets.versions.IVersionable',
      ],
      'adhocracy_core.resources.rate.IRatesService': [
        'adhocracy_core.sheets.acl.IAcl',
        'adhocracy_core.sheets.local_roles.ILocalRoles',
        'adhocracy_core.sheets.metadata.IMetadata',
        'adhocracy_core.sheets.pool.IPool',
      ],
      'adhocracy_core.resources.rate.IRate': [
        'adhocracy_core.sheets.acl.IAcl',
        'adhocracy_core.sheets.local_roles.ILocalRoles',
        'adhocracy_core.sheets.metadata.IMetadata',
        'adhocracy_core.sheets.pool.IPool',
        'adhocracy_core.sheets.tags.ITags',
        'adhocracy_core.sheets.versions.IVersions',
      ],
      'adhocracy_core.resources.rate.IRateVersion': [
        'adhocracy_core.sheets.acl.IAcl',
        'adhocracy_core.sheets.local_roles.ILocalRoles',
        'adhocracy_core.sheets.metadata.IMetadata',
        'adhocracy_core.sheets.rate.IRate',
        'adhocracy_core.sheets.versions.IVersionable',
      ],
    });
  });

  it('knows the fields by the index names of Adhocracy 3 that the sheets give them', async () => {
    const registry = createRegistry({ sheets: await loadSheets(defaultSheetsDirectory), resourceTypes: builtinResourceTypes, reservedNames: viewNames });
    // A change here changes the query API: review it, then update this snapshot.
    assert.deepEqual(Object.fromEntries([...registry.indexNames].map(([name, field]) => [name, field.key])), {
      creator: 'adhocracy_core.sheets.metadata.IMetadata:creator',
      item_creation_date: 'adhocracy_core.sheets.metadata.IMetadata:item_creation_date',
      name: 'adhocracy_core.sheets.name.IName:name',
      rate: 'adhocracy_core.sheets.rate.IRate:rate',
      title: 'adhocracy_core.sheets.title.ITitle:title',
      user_name: 'adhocracy_core.sheets.principal.IUserBasic:name',
    });
  });

  it('refuses an index name on a field that is not indexed, twice the same, or one that is a query parameter', () => {
    const named = (indexName: string, indexed = true, id = 'example.sheets.IText') =>
      textSheet({ id, fields: { text: { valuetype: 'adhocracy_core.schema.Text', indexed, indexName } } });
    assert.throws(build([named('text', false)]), /example\.sheets\.IText\.text: an index name needs indexed: true/);
    assert.throws(build([named('text'), named('text', true, 'example.sheets.IWords')]), /index name text is already used by example\.sheets\.IText\.text/);
    const withParameters = () =>
      createRegistry({ sheets: [named('sort')], resourceTypes: builtinResourceTypes, reservedNames: [], queryParameters: ['sort'] });
    assert.throws(withParameters, /index name sort is a query parameter/);
  });

  it('refuses a lookup parameter that is a query parameter, or on a field without item keys', () => {
    const lookup = (parameter: string, itemKey?: (item: unknown) => string | undefined) =>
      textSheet({
        fields: {
          text: {
            valuetype: 'adhocracy_core.schema.Text',
            unique: { scope: 'example', normalize: 'exact', description: 'taken', ...(itemKey ? { itemKey } : {}), lookup: { parameter, parse: (text) => ({ item: text }) } },
          },
        },
      });
    const withParameters = (sheet: ReturnType<typeof textSheet>) => () =>
      createRegistry({ sheets: [sheet], resourceTypes: builtinResourceTypes, reservedNames: [], queryParameters: ['sort'] });
    const problem = /example\.sheets\.IText\.text: the lookup parameter \w+ needs itemKey and must be neither a query parameter nor an index name/;
    assert.throws(withParameters(lookup('sort', String)), problem);
    assert.throws(withParameters(lookup('text')), problem);
    assert.doesNotThrow(withParameters(lookup('text', String)));
  });

  it('derives sheet file names from sheet ids', () => {
    assert.equal(sheetFileName('adhocracy_core.sheets.principal.IUserBasic'), 'user-basic');
    assert.equal(sheetFileName('adhocracy_core.sheets.principal.IPasswordAuthentication'), 'password-authentication');
    assert.equal(sheetFileName('adhocracy_core.sheets.name.IName'), 'name');
  });

  const build = (sheets: ReturnType<typeof defineSheet>[], types = builtinResourceTypes) => () =>
    createRegistry({ sheets, resourceTypes: types, reservedNames: [] });

  it('refuses duplicate sheet and type ids', () => {
    assert.throws(build([textSheet(), textSheet()]), /duplicate sheet id example\.sheets\.IText/);
    assert.throws(build([], [...builtinResourceTypes, builtinResourceTypes[0]!]), /duplicate resource type id/);
  });

  it('refuses a sheet for an unknown resource type', () => {
    assert.throws(build([textSheet({ resourceTypes: ['example.resources.INothing'] })]), /unknown resource type or interface example\.resources\.INothing/);
  });

  it('refuses a type that may contain an unknown type', () => {
    const broken = defineResourceType({ id: 'example.resources.IBox', kind: 'pool', elementTypes: ['example.resources.IMissing'], permissions: { view: [], create: [], delete: [] } });
    assert.throws(build([], [...builtinResourceTypes, broken]), /unknown element type example\.resources\.IMissing/);
  });

  it('refuses a settable field without a validator, and a validator without a field', () => {
    assert.throws(build([textSheet({ fields: { text: { valuetype: 'adhocracy_core.schema.Text' }, other: { valuetype: 'adhocracy_core.schema.Text' } } })]), /other: clients may set it but the schema class has no validator/);
    assert.throws(build([textSheet({ fields: {} })]), /the schema validates text, which is not a field/);
  });

  it('refuses unknown roles and target sheets', () => {
    assert.throws(build([textSheet({ permissions: { read: ['everybody' as 'everyone'], edit: [] } })]), /unknown role everybody/);
    assert.throws(
      build([textSheet({ fields: { text: { valuetype: 'adhocracy_core.schema.Reference', targetsheet: 'example.sheets.INope' } } })]),
      /unknown target sheet example\.sheets\.INope/,
    );
  });

  it('refuses an id that is not dotted', () => {
    assert.throws(() => textSheet({ id: 'IText' }), /not a dotted identifier/);
  });

  describe('loadSheets', () => {
    let directory: string;
    beforeEach(async () => {
      // Inside test/, so that tsconfig.json (legacy decorators) applies to the generated files.
      directory = await mkdtemp(path.resolve('test', 'tmp-sheets-'));
    });
    afterEach(async () => {
      await rm(directory, { recursive: true, force: true });
    });

    const sheetModule = (id: string) => `
      import { defineSheet, IsString } from ${JSON.stringify(path.resolve('src/sheet.ts'))};
      class Schema { @IsString() text!: string; }
      export default defineSheet({ id: ${JSON.stringify(id)}, schema: Schema, fields: { text: { valuetype: 'adhocracy_core.schema.Text' } },
        resourceTypes: ['adhocracy_core.resources.pool.IBasicPool'], permissions: { read: ['everyone'], edit: ['admin'] } });`;

    it('loads a sheet named after its file', async () => {
      await writeFile(path.join(directory, 'text.ts'), sheetModule('example.sheets.IText'));
      const sheets = await loadSheets(directory);
      assert.deepEqual(sheets.map((sheet) => sheet.id), ['example.sheets.IText']);
    });

    it('refuses a file whose name does not match its sheet id', async () => {
      await writeFile(path.join(directory, 'words.ts'), sheetModule('example.sheets.IText'));
      await assert.rejects(loadSheets(directory), /defines example\.sheets\.IText, so the file must be named text\.ts/);
    });

    it('refuses a file without a sheet as default export', async () => {
      await writeFile(path.join(directory, 'text.ts'), 'export const nothing = 1;');
      await assert.rejects(loadSheets(directory), /must default-export defineSheet/);
    });
  });
});
