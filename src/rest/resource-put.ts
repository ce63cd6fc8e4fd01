// PUT on a resource: change the editable fields of the sheets given.
import { badRequest } from '../errors.ts';
import { userPasswordHeader } from '../headers.ts';
import { needsCurrentPassword } from '../registry.ts';
import { validateSheetInput } from '../model/sheet-input.ts';
import { readBodyObject } from './body-shape.ts';
import { serializeChange } from './serialize.ts';
import type { View } from './view.ts';

export const putResource: View = async (request, { registry, resources, login, codec, config }) => {
  const { context: resource, type, principal, access } = request;
  const body = readBodyObject(request.body, ['content_type', 'data'], ['data']);
  if (body.content_type !== undefined && body.content_type !== type.id) {
    throw badRequest('body', 'content_type', `content_type must be ${type.id} or left out`);
  }

  const data = await validateSheetInput({ registry, type, data: body.data, mode: 'edit', roles: access.roles, lineage: access.lineage, passwordPolicy: config.password });
  const guarded = Object.entries(data).flatMap(([sheetId, fields]) =>
    Object.keys(fields).filter((fieldName) => {
      const field = registry.sheets.get(sheetId)?.fields[fieldName];
      return field !== undefined && needsCurrentPassword(field);
    }),
  );
  if (guarded.length > 0) {
    const password = request.header(userPasswordHeader);
    await login.confirmPassword({ principal, password, action: `Changing ${guarded.join(', ')}`, address: request.clientAddress, requestId: request.requestId });
  }
  const { record, updated } = await resources.update({ resource, type, data, principal, requestId: request.requestId, client: request.clientAddress }, request.staging);
  return { body: serializeChange(record, updated, codec) };
};
