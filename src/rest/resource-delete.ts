// DELETE on a resource: remove it and everything below it for good (hiding is a PUT of IMetadata instead).
import { can } from '../auth/permissions.ts';
import { forbidden } from '../errors.ts';
import { serializeChange } from './serialize.ts';
import type { View } from './view.ts';

export const deleteResource: View = async (request, { resources, codec }) => {
  const { context, type, roles, lineage } = request;
  if (!can(roles, { kind: 'delete', type, lineage })) throw forbidden('path', 'You may not delete this resource');
  const { record, updated } = await resources.remove(context);
  return { body: serializeChange(record, updated, codec) };
};
