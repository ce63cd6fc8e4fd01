// GET /openapi.json: the OpenAPI 3.1 document of this API, built from the registry, the route table and the error codes.
import { usersPoolPath } from '../../bootstrap.ts';
import type { Config } from '../../config.ts';
import { errorCodes, errorLocations } from '../../errors.ts';
import { serviceKeyHeader, userPasswordHeader, userTokenHeader } from '../../headers.ts';
import type { Registry } from '../../registry.ts';
import type { ResourceType } from '../../resource-type.ts';
import { rootPoolType } from '../../resources/pool.ts';
import { userType } from '../../resources/principal.ts';
import type { Route, View } from '../view.ts';
import { describeQueryParameters } from './query-parameters.ts';
import { describeSheet, hasFieldsFor, type JsonSchema } from './sheet-schema.ts';
import { ref, sharedSchemas, type ViewContract } from './view-contracts.ts';

type Operations = Record<string, JsonSchema>;

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

const errorMembers = {
  status: { const: 'error' },
  errors: { type: 'array', items: ref('ErrorDetail'), minItems: 1 },
  reason: { enum: ['hidden', 'deleted'], description: 'Why a 410 answers: the resource, or one above it, is hidden or deleted' },
  modified_by: { anyOf: [{ type: 'string', format: 'uri' }, { type: 'null' }] },
  modification_date: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
};

function errorEnvelope(extra: Record<string, JsonSchema> = {}): JsonSchema {
  return { type: 'object', properties: { ...errorMembers, ...extra }, required: ['status', 'errors'], additionalProperties: false };
}

const errorSchemas: Record<string, JsonSchema> = {
  ErrorDetail: {
    type: 'object',
    properties: {
      location: { enum: [...errorLocations] },
      name: { type: 'string', description: 'The dotted path of what is wrong: data.<sheet id>.<field>, a header or parameter name' },
      description: { type: 'string', description: 'For people; may change' },
      code: { enum: Object.keys(errorCodes), description: 'Stable, for programs', 'x-enum-descriptions': errorCodes },
    },
    required: ['location', 'name', 'description'],
    additionalProperties: false,
  },
  ErrorEnvelope: errorEnvelope(),
};

/** Every answer but a 200 is the envelope: 400 bad input, 403, 404, 405, 409, 410 (with reason), 413, 415, 429 and 503 (Retry-After), 500. */
function responses(schema: JsonSchema | undefined, contract?: ViewContract): JsonSchema {
  return {
    '200': schema === undefined ? { description: 'Success, no body' } : { description: 'Success', content: json(schema) },
    default: { description: 'An error', content: json(contract?.errorMembers ? errorEnvelope(contract.errorMembers) : ref('ErrorEnvelope')) },
  };
}

const passwordHeader = {
  name: userPasswordHeader,
  in: 'header',
  required: false,
  schema: { type: 'string' },
  description: 'The current password, for changes that need it (a password, an email, deleting one own account)',
};

const resourcePathParameter = {
  name: 'path',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^([^/?#]+/)+$' },
  description: 'The path of a resource below the root, its slashes included (principals/users/0000000/)',
};

const userParameter = { name: 'user', in: 'path', required: true, schema: { type: 'string' }, description: 'The name of a user resource (0000000)' };

function typesWith(registry: Registry, isIncluded: (type: ResourceType) => boolean, describe: (type: ResourceType) => string): JsonSchema {
  const types = [...registry.resourceTypes.values()].filter(isIncluded);
  return { oneOf: types.map((type) => ref(describe(type))) };
}

/** Per type: the resource as GET answers it, the body POST creates it with, and the body PUT changes it with. */
function describeTypes(registry: Registry, config: Config): Record<string, JsonSchema> {
  const schemas: Record<string, JsonSchema> = {};
  const passwordPolicy = config.password;
  for (const sheet of registry.sheets.values()) schemas[sheet.id] = describeSheet(sheet, 'read', { passwordPolicy });
  for (const type of registry.resourceTypes.values()) {
    const sheets = registry.sheetsOf(type.id);
    schemas[type.id] = {
      type: 'object',
      properties: {
        content_type: { const: type.id },
        path: { type: 'string', format: 'uri' },
        data: { type: 'object', properties: Object.fromEntries(sheets.map((sheet) => [sheet.id, ref(sheet.id)])), additionalProperties: false },
      },
      required: ['content_type', 'path', 'data'],
      additionalProperties: false,
    };
    const creatable = sheets.filter((sheet) => hasFieldsFor(sheet, 'create', type));
    const create = Object.fromEntries(creatable.map((sheet) => [sheet.id, describeSheet(sheet, 'create', { type, passwordPolicy })]));
    const mandatory = creatable.filter((sheet) => Object.values(sheet.fields).some((field) => field.createMandatory)).map((sheet) => sheet.id);
    schemas[`${type.id}.create`] = {
      type: 'object',
      properties: {
        content_type: { const: type.id },
        data: { type: 'object', properties: create, ...(mandatory.length > 0 ? { required: mandatory } : {}), additionalProperties: false },
        root_versions: { type: 'array', items: { type: 'string' }, maxItems: 100, description: 'Versions whose subtree the auto-updates of a new version stay in' },
      },
      required: mandatory.length > 0 ? ['content_type', 'data'] : ['content_type'],
      additionalProperties: false,
    };
    const editable = sheets.filter((sheet) => hasFieldsFor(sheet, 'edit', type));
    schemas[`${type.id}.edit`] = {
      type: 'object',
      properties: {
        content_type: { const: type.id },
        data: { type: 'object', properties: Object.fromEntries(editable.map((sheet) => [sheet.id, describeSheet(sheet, 'edit', { type, passwordPolicy })])), additionalProperties: false },
      },
      required: ['data'],
      additionalProperties: false,
    };
  }
  return schemas;
}

const optionsAnswer: JsonSchema = {
  type: 'object',
  description: 'What the caller may do here: a member per allowed method, with stubs of its bodies',
  properties: Object.fromEntries(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE'].map((method) => [method, { type: 'object' }])),
  additionalProperties: false,
};

/** GET, HEAD, OPTIONS, POST, PUT and DELETE on any resource, from the registry's types. */
function describeResourceOperations(registry: Registry, routes: readonly Route[], at: 'root' | 'below'): Operations {
  const parameters = at === 'below' ? [resourcePathParameter] : [];
  const suffix = at === 'root' ? 'Root' : 'Resource';
  const general = routes.filter((route) => route.view === undefined && route.on === undefined);
  const isElementType = (type: ResourceType) => [...registry.resourceTypes.values()].some((pool) => pool.elementTypes.includes(type.id));
  const described: Record<string, () => JsonSchema> = {
    GET: () => ({
      summary: 'The resource, with the sheets and fields the caller may read; a pool lists its elements as its query asks',
      parameters: [...parameters, ...describeQueryParameters(registry)],
      responses: {
        ...responses({ ...typesWith(registry, () => true, (type) => type.id), discriminator: { propertyName: 'content_type' } }),
        '304': { description: 'Unchanged since the ETag sent in If-None-Match' },
      },
    }),
    OPTIONS: () => ({
      summary: 'What the caller may do here; a CORS preflight (with Access-Control-Request-Method) gets a 204 with the CORS headers instead',
      parameters,
      responses: { ...responses(optionsAnswer), '204': { description: 'The answer to a CORS preflight' } },
    }),
    POST: () => ({
      summary: 'Create a resource in this pool',
      parameters,
      requestBody: { required: true, content: json({ ...typesWith(registry, isElementType, (type) => `${type.id}.create`), discriminator: { propertyName: 'content_type' } }) },
      responses: responses(ref('ChangeAnswer')),
    }),
    PUT: () => ({
      summary: 'Change the editable fields of the sheets given',
      parameters: [...parameters, passwordHeader],
      requestBody: { required: true, content: json({ anyOf: typesWith(registry, () => true, (type) => `${type.id}.edit`).oneOf }) },
      responses: responses(ref('ChangeAnswer')),
    }),
    DELETE: () => ({ summary: 'Remove the resource and everything below it for good', parameters, responses: responses(ref('ChangeAnswer')) }),
  };
  const operations: Operations = {};
  for (const route of general) {
    const describe = described[route.method];
    if (!describe) throw new Error(`no OpenAPI description of ${route.method} on resources`);
    operations[route.method.toLowerCase()] = { operationId: `${route.method.toLowerCase()}${suffix}`, ...describe() };
    if (route.method === 'GET') {
      operations.head = { operationId: `head${suffix}`, summary: 'The headers GET would answer', parameters: operations.get?.parameters, responses: responses(undefined) };
    }
  }
  return operations;
}

/** Where a view's context is: the root, or a user. */
function placeOf(route: Route): string {
  if (route.on === rootPoolType.id) return '/';
  if (route.on === userType.id) return `${usersPoolPath}{user}/`;
  throw new Error(`no path template for views on ${String(route.on)}`);
}

function describeViewOperation(route: Route, config: Config): JsonSchema {
  const contract = route.contract;
  if (!contract) throw new Error(`${route.method} ${route.view ?? ''} on ${String(route.on)} has no contract for /openapi.json`);
  const request = typeof contract.request === 'function' ? contract.request(config) : contract.request;
  // postLoginUsername, getSessionsOfUser, deleteUser: the method, the view, and where it is when not on the root.
  const owner = route.on === rootPoolType.id ? '' : `_of_${(route.on ?? '').split('.').pop()?.replace(/^I(?=[A-Z])/, '') ?? ''}`;
  const name = route.view === undefined ? `${route.method}_${owner.slice('_of_'.length)}` : `${route.method}_${route.view}${route.subview ? `_${route.subview}` : ''}${owner}`;
  return {
    operationId: name.toLowerCase().replace(/[^a-z0-9]+([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()),
    summary: contract.summary,
    ...(route.on === userType.id ? { parameters: [userParameter, ...(contract.needsCurrentPassword ? [passwordHeader] : [])] } : {}),
    ...(request ? { requestBody: { required: contract.requestRequired ?? true, content: json(request) } } : {}),
    responses: responses(contract.response, contract),
    ...(contract.needsToken ? { security: [{ userToken: [] }] } : {}),
    ...(contract.needsServiceKey ? { security: [{ serviceKey: [] }] } : {}),
  };
}

export function buildOpenApiDocument(options: { registry: Registry; config: Config; routes: readonly Route[] }): JsonSchema {
  const { registry, config, routes } = options;
  const paths: Record<string, Operations> = {
    '/': describeResourceOperations(registry, routes, 'root'),
    '/{path}': describeResourceOperations(registry, routes, 'below'),
  };
  for (const route of routes) {
    if (route.view === undefined && route.on === undefined) continue;
    const base = `${placeOf(route)}${route.view ?? ''}`;
    // A subview (sessions/{session}/state) answers below the view's name only.
    if (route.subview === undefined) paths[base] = { ...paths[base], [route.method.toLowerCase()]: describeViewOperation(route, config) };
    // Below the view's name: each `{name}` is a path parameter (deleteSessionsOfUser becomes deleteSessionsOfUserBySession).
    for (const subpath of route.contract?.subpaths ?? []) {
      const operation = describeViewOperation(route, config);
      const names = [...subpath.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
      operation.operationId = `${String(operation.operationId)}By${names.map((name) => name.charAt(0).toUpperCase() + name.slice(1)).join('And')}`;
      operation.parameters = [...((operation.parameters as JsonSchema[] | undefined) ?? []), ...names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }))];
      const template = `${base}/${subpath}`;
      paths[template] = { ...paths[template], [route.method.toLowerCase()]: operation };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'adhocracy-ts',
      version: '1',
      description: 'A hypermedia resource tree in the style of Adhocracy 3. Generated from the registry of sheets and resource types and from the route table.',
    },
    servers: [{ url: config.publicUrl }],
    security: [{}, { userToken: [] }],
    paths,
    components: {
      securitySchemes: {
        userToken: { type: 'apiKey', in: 'header', name: userTokenHeader, description: 'The token a login answered; without it, the caller is anonymous' },
        serviceKey: { type: 'apiKey', in: 'header', name: serviceKeyHeader, description: 'A key from SERVICE_KEYS: the caller is another backend (docs/services.md)' },
      },
      schemas: { ...errorSchemas, ...sharedSchemas, ...describeTypes(registry, config) },
    },
  };
}

/** The registry and the routes do not change while the app runs, so the document is built once per app. */
export function createOpenApiView(routes: () => readonly Route[]): View {
  const documents = new WeakMap<object, JsonSchema>();
  return async (_request, services) => {
    let document = documents.get(services);
    if (!document) {
      document = buildOpenApiDocument({ registry: services.registry, config: services.config, routes: routes() });
      documents.set(services, document);
    }
    return { body: document };
  };
}
