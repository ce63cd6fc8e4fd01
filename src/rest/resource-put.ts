// PUT on a resource: change the editable fields of the sheets given.
import { badRequest } from '../errors.ts';
import { validateSheetInput } from '../model/sheet-input.ts';
import { readBodyObject } from './body-shape.ts';
import { userPasswordHeader } from '../headers.ts';
import { serializeChange } from './serialize.ts';
import type { View } from './view.ts';

export const putResource: View = async (request, { registry, resources, codec, config }) => {
  const { context: resource, type, principal, roles, lineage } = request;
  const body = readBodyObject(request.body, ['content_type', 'data'], ['data']);
  if (body.content_type !== undefined && body.content_type !== type.id) {
    throw badRequest('body', 'content_type', `content_type must be ${type.id} or left out`);
  }

  const data = await validateSheetInput({ registry, type, data: body.data, mode: 'edit', roles, lineage, passwordPolicy: config.password });
  const currentPassword = request.header(userPasswordHeader);
  const { record, updated } = await resources.update({ resource, type, data, principal, currentPassword, requestId: request.requestId });
  return { body: serializeChange(record, updated, codec) };
};
