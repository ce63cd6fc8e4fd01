// 410 Gone for what is hidden or deleted, or lies below something that is, unless the caller may see it.
import { canSeeHidden, metadataSheet } from '../auth/permissions.ts';
import { ApiError } from '../errors.ts';
import type { Role } from '../sheet.ts';
import type { ResourceRecord } from '../storage/storage.ts';
import type { PathCodec } from '../tree/path.ts';

export function refuseHidden(lineage: readonly ResourceRecord[], roles: ReadonlySet<Role>, codec: PathCodec): void {
  if (canSeeHidden(roles)) return;
  const gone = lineage.find((resource) => resource.hidden);
  if (!gone) return;
  const metadata = gone.data[metadataSheet] ?? {};
  const reason = metadata.deleted === true ? 'deleted' : 'hidden';
  const modifiedBy = typeof metadata.modified_by === 'string' ? codec.toUrl(metadata.modified_by) : null;
  throw new ApiError(
    410,
    [{ location: 'url', name: 'path', description: `The resource is ${reason}`, code: reason }],
    { reason, modified_by: modifiedBy, modification_date: metadata.modification_date ?? null },
  );
}
