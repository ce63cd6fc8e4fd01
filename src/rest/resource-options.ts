// OPTIONS on a resource: what this caller may do here, with stubs of the bodies each verb takes and gives.
import { creatableTypes, editableSheets, isAllowed } from '../auth/gate.ts';
import { can } from '../auth/permissions.ts';
import type { Sheet } from '../sheet.ts';
import type { View } from './view.ts';

const sheetStubs = (sheets: readonly Sheet[]) => Object.fromEntries(sheets.map((sheet) => [sheet.id, {}]));

/** Built from the same answers the permission gate gives, so it offers exactly what the verbs allow. */
export const optionsOfResource: View = async (request, { registry }) => {
  const { type, access } = request;
  const answer: Record<string, unknown> = {};
  const readable = registry.sheetsOf(type.id).filter((sheet) => can(access.roles, { kind: 'read-sheet', sheet }));
  answer.GET = {
    request_body: {},
    request_querystring: {},
    response_body: { content_type: '', path: '', data: sheetStubs(readable) },
  };
  answer.HEAD = {};
  answer.OPTIONS = {};
  const creatable = creatableTypes(registry, access, type);
  if (creatable.length > 0) {
    answer.POST = {
      request_body: creatable.map(({ type: created, sheets }) => ({ content_type: created.id, data: sheetStubs(sheets) })),
      response_body: { content_type: '', path: '' },
    };
  }
  const editable = editableSheets(registry, access, type);
  if (editable.length > 0) {
    answer.PUT = {
      request_body: { content_type: '', data: sheetStubs(editable) },
      response_body: { content_type: '', path: '' },
    };
  }
  if (isAllowed('delete', access, type, registry)) answer.DELETE = {};
  return { body: answer, headers: { Allow: Object.keys(answer).join(', ') } };
};
