// The answer for what the caller may not see: 410 Gone for what is hidden or deleted (or lies below it), 403 for a view restriction.
import type { Blocked } from '../auth/access.ts';
import { metadataSheet } from '../auth/permissions.ts';
import { ApiError, forbidden } from '../errors.ts';
import type { PathCodec } from '../tree/path.ts';

export function refuseUnseen(blocked: Blocked, codec: PathCodec): never {
  if (blocked.reason === 'forbidden') throw forbidden('path', 'You may not view this resource');
  const metadata = blocked.at.data[metadataSheet] ?? {};
  const modifiedBy = typeof metadata.modified_by === 'string' ? codec.toUrl(metadata.modified_by) : null;
  throw new ApiError(
    410,
    [{ location: 'url', name: 'path', description: `The resource is ${blocked.reason}`, code: blocked.reason }],
    { reason: blocked.reason, modified_by: modifiedBy, modification_date: metadata.modification_date ?? null },
  );
}
