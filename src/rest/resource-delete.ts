// DELETE on a resource: remove it and everything below it for good (hiding is a PUT of IMetadata instead).
import { serializeChange } from './serialize.ts';
import type { View } from './view.ts';

export const deleteResource: View = async (request, { resources, codec }) => {
  const { record, updated } = await resources.remove(request.context);
  return { body: serializeChange(record, updated, codec) };
};
