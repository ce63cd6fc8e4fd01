// OPTIONS on a resource: what this caller may do here, with stubs of the bodies each verb takes and gives.
import { can } from '../auth/permissions.ts';
import { isCreatable, isEditable, type Registry } from '../registry.ts';
import type { ResourceType } from '../resource-type.ts';
import type { Role, Sheet } from '../sheet.ts';
import type { ResourceRecord } from '../storage/storage.ts';
import type { View } from './view.ts';

const sheetStubs = (sheets: readonly Sheet[]) => Object.fromEntries(sheets.map((sheet) => [sheet.id, {}]));

export const optionsOfResource: View = async (request, { registry }) => {
  const { type, roles, lineage } = request;
  const answer: Record<string, unknown> = {};
  if (can(roles, { kind: 'view', type, lineage })) {
    const readable = registry.sheetsOf(type.id).filter((sheet) => can(roles, { kind: 'read-sheet', sheet }));
    answer.GET = {
      request_body: {},
      request_querystring: {},
      response_body: { content_type: '', path: '', data: sheetStubs(readable) },
    };
    answer.HEAD = {};
  }
  answer.OPTIONS = {};
  const creatable = creatableHere(registry, type, roles, lineage);
  if (creatable.length > 0) {
    answer.POST = { request_body: creatable, response_body: { content_type: '', path: '' } };
  }
  const editable = editableSheets(registry, type, roles);
  if (editable.length > 0) {
    answer.PUT = {
      request_body: { content_type: '', data: sheetStubs(editable) },
      response_body: { content_type: '', path: '' },
    };
  }
  if (can(roles, { kind: 'delete', type, lineage })) answer.DELETE = {};
  return { body: answer, headers: { Allow: Object.keys(answer).join(', ') } };
};

/** One stub per type the caller may create in this pool, with the sheets the caller may set. */
function creatableHere(registry: Registry, poolType: ResourceType, roles: ReadonlySet<Role>, lineage: readonly ResourceRecord[]) {
  return poolType.elementTypes.flatMap((typeId) => {
    const type = registry.resourceTypes.get(typeId);
    if (!type || !can(roles, { kind: 'create', type, lineage })) return [];
    const sheets = registry
      .sheetsOf(type.id)
      .filter((sheet) => Object.values(sheet.fields).some(isCreatable) && can(roles, { kind: 'create-sheet', sheet, type, lineage }));
    return [{ content_type: type.id, data: sheetStubs(sheets) }];
  });
}

function editableSheets(registry: Registry, type: ResourceType, roles: ReadonlySet<Role>): Sheet[] {
  return registry
    .sheetsOf(type.id)
    .filter((sheet) => Object.values(sheet.fields).some(isEditable) && can(roles, { kind: 'edit-sheet', sheet }));
}
