// POST to a pool: create a child of an allowed type from sheet-typed JSON.
import { can } from '../auth/permissions.ts';
import { badRequest, forbidden } from '../errors.ts';
import { chooseLanguage } from '../mail/templates.ts';
import { validateSheetInput } from '../model/sheet-input.ts';
import { readBodyObject } from './body-shape.ts';
import { serializeChange } from './serialize.ts';
import type { PathCodec } from '../tree/path.ts';
import type { View } from './view.ts';

export const postResource: View = async (request, { registry, resources, codec, config }) => {
  const { context: pool, type: poolType, principal, access } = request;
  const body = readBodyObject(request.body, ['content_type', 'data', 'root_versions'], ['content_type']);

  const contentType = body.content_type;
  if (typeof contentType !== 'string') throw badRequest('body', 'content_type', 'content_type must be a string');
  const type = registry.resourceTypes.get(contentType);
  if (!type) throw badRequest('body', 'content_type', `${contentType} is not a known content type`, 'unknown_content_type');
  if (!poolType.elementTypes.includes(type.id)) {
    throw badRequest('body', 'content_type', `${contentType} cannot be created in ${poolType.id}`, 'not_addable');
  }
  if (!can(access.roles, { kind: 'create', type, lineage: access.lineage })) throw forbidden('content_type', `You may not create ${contentType} here`, 'body');

  const data = await validateSheetInput({ registry, type, data: body.data ?? {}, mode: 'create', roles: access.roles, lineage: access.lineage, passwordPolicy: config.password });
  const rootVersions = readRootVersions(body.root_versions, codec);
  // An account's mails are in the language its registration asked for.
  const language = chooseLanguage(request.header('Accept-Language'));
  const { record, firstVersion, updated } = await resources.create({ pool, type, data, principal, client: request.clientAddress, rootVersions, language }, request.staging);
  return { body: serializeChange(record, updated, codec, firstVersion) };
};

/** Adhocracy's `root_versions`: a set of versions (URLs or paths) whose subtree a new version's auto-updates stay in. */
export function readRootVersions(value: unknown, codec: PathCodec): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 100) throw badRequest('body', 'root_versions', 'root_versions must be a list of at most 100 versions');
  return [
    ...new Set(
      value.map((reference) => {
        const path = typeof reference === 'string' ? codec.fromReference(reference) : undefined;
        if (path === undefined) throw badRequest('body', 'root_versions', `${String(reference)} is not the URL or path of a version`, 'invalid_reference');
        return path;
      }),
    ),
  ];
};
