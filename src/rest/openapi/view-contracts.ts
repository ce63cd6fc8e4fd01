// What each named view takes and answers, as JSON Schema: the route table names these, and /openapi.json is built from them.
import { lockoutSettings } from '../../auth/lockout-settings.ts';
import type { Config } from '../../config.ts';
import type { JsonSchema } from './sheet-schema.ts';

/** A view's request and answer; `request` may depend on the configuration (password lengths, batch size). */
export interface ViewContract {
  summary: string;
  /** The JSON body it reads; none for views that read no body. */
  request?: JsonSchema | ((config: Config) => JsonSchema);
  /** Whether a body must be sent (default: when `request` is given). */
  requestRequired?: boolean;
  /** The answer of a 200. */
  response: JsonSchema;
  /** Members of an error answer besides the envelope's (a batch's lists what ran before). */
  errorMembers?: Record<string, JsonSchema>;
  /** It needs the caller's current password in X-User-Password. */
  needsCurrentPassword?: boolean;
  /** It needs an X-User-Token (without one it answers 400). */
  needsToken?: boolean;
  /** Path templates below the view's name it also answers on, such as `{session}/`; for a subview, the only ones. */
  subpaths?: readonly string[];
  /** Only another backend may call it, with X-Service-Key. */
  needsServiceKey?: boolean;
}

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const url = { type: 'string', format: 'uri' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const success = { type: 'string', const: 'success' } as const;
const nonEmpty = { type: 'string', minLength: 1 } as const;

function object(properties: Record<string, JsonSchema>, required: readonly string[] = Object.keys(properties)): JsonSchema {
  return { type: 'object', properties, required: [...required], additionalProperties: false };
}

const passwordOf = (config: Config): JsonSchema => ({ type: 'string', minLength: config.password.minLength, maxLength: config.password.maxLength, writeOnly: true });

const sessionTimes = { created: dateTime, last_used: dateTime, idle_expires_at: dateTime, expires_at: dateTime };

/** Schemas that views and the generated resource schemas share, under #/components/schemas. */
export const sharedSchemas: Record<string, JsonSchema> = {
  TokenAnswer: {
    ...object({ status: success, user_path: url, user_token: { type: 'string' }, idle_expires_at: dateTime, expires_at: dateTime }),
    description: 'A new X-User-Token: it dies unused at idle_expires_at (each use moves it on), and at expires_at anyway',
  },
  Success: object({ status: success }),
  LockoutSettings: object({
    settings: object(Object.fromEntries(lockoutSettings.map(({ wire }) => [wire, { type: 'integer' }]))),
    changed: { type: 'array', items: { enum: lockoutSettings.map(({ wire }) => wire) } },
  }),
  UpdatedResources: object(Object.fromEntries(['changed_descendants', 'created', 'modified', 'removed'].map((key) => [key, { type: 'array', items: url }]))),
  ChangeAnswer: object(
    { content_type: { type: 'string' }, path: url, first_version_path: url, updated_resources: ref('UpdatedResources') },
    ['content_type', 'path', 'updated_resources'],
  ),
  Resource: {
    ...object({ content_type: { type: 'string' }, path: url, data: { type: 'object', additionalProperties: { type: 'object' } } }),
    description: 'A resource of any type, as listed with elements=content',
  },
  BatchResponse: object({ code: { type: 'integer' }, body: { type: 'object' } }),
  MetaApi: object({
    resources: {
      type: 'object',
      additionalProperties: object(
        { sheets: { type: 'array', items: { type: 'string' } }, super_types: { type: 'array', items: { type: 'string' } }, element_types: { type: 'array', items: { type: 'string' } }, item_type: { type: 'string' } },
        ['sheets', 'super_types', 'element_types'],
      ),
    },
    sheets: {
      type: 'object',
      additionalProperties: object({
        fields: {
          type: 'array',
          items: object(
            {
              name: { type: 'string' },
              valuetype: { type: 'string' },
              readable: { type: 'boolean' },
              editable: { type: 'boolean' },
              creatable: { type: 'boolean' },
              create_mandatory: { type: 'boolean' },
              containertype: { type: 'string' },
              targetsheet: { type: 'string' },
            },
            ['name', 'valuetype', 'readable', 'editable', 'creatable', 'create_mandatory'],
          ),
        },
        super_types: { type: 'array', items: { type: 'string' } },
      }),
    },
    workflows: { type: 'object' },
  }),
};

const loginBy = (member: 'name' | 'email'): ViewContract => ({
  summary: `Log in by ${member} and password; the answer holds a new token`,
  request: object({ [member]: member === 'email' ? { type: 'string', format: 'email' } : nonEmpty, password: nonEmpty }),
  response: ref('TokenAnswer'),
});

const linkPath = { type: 'string', description: 'The path of the link mailed to the user' } as const;

export const contracts = {
  loginByName: loginBy('name'),
  loginByEmail: loginBy('email'),
  logout: { summary: 'End the session of the X-User-Token sent', request: { type: 'object' }, requestRequired: false, response: ref('Success'), needsToken: true },
  session: {
    summary: 'Whose the X-User-Token sent is, and until when it lives',
    response: object({ user_path: url, session: url, ...sessionTimes }),
    needsToken: true,
  },
  activateAccount: { summary: 'Follow the activation link mailed after registration; logs in', request: object({ path: linkPath }), response: ref('TokenAnswer') },
  createPasswordReset: {
    summary: 'Mail a password reset link to this address, if an account has it (the answer does not tell)',
    request: object({ email: { type: 'string', format: 'email', maxLength: 254 } }),
    response: ref('Success'),
  },
  passwordReset: {
    summary: 'Set a new password through the mailed link; ends every session and logs in',
    request: (config: Config) => object({ path: linkPath, password: passwordOf(config) }),
    response: ref('TokenAnswer'),
  },
  confirmEmail: { summary: 'Confirm a new email address through the link mailed to it', request: object({ path: linkPath }), response: object({ status: success, user_path: url }) },
  listSessions: {
    summary: "A user's sessions (its own, or any for an admin); never their tokens",
    response: object({
      sessions: {
        type: 'array',
        items: object(
          { id: { type: 'string' }, path: url, ...sessionTimes, client: { type: 'string' }, current: { type: 'boolean' }, opened_by: { type: 'string', description: 'The service that opened it' } },
          ['id', 'path', ...Object.keys(sessionTimes), 'client', 'current'],
        ),
      },
    }),
  },
  getSessionState: {
    summary: 'The JSON document a session keeps (the user or an admin)',
    response: object({ state: { description: 'Any JSON value; null when none is kept' } }),
    subpaths: ['{session}/state'],
  },
  putSessionState: {
    summary: 'Keep a JSON document of at most 16 KiB with a session; null removes it',
    request: object({ state: {} }),
    response: ref('Success'),
    subpaths: ['{session}/state'],
  },
  openSessionForUser: {
    summary: 'A service opens a session for a user, bound to its password, named in its sessions as opened by the service',
    request: object({}, []),
    requestRequired: false,
    response: object({ status: success, user_path: url, user_token: { type: 'string' }, idle_expires_at: dateTime, expires_at: dateTime, session: url }),
    needsServiceKey: true,
  },
  tokenInfo: {
    summary: "Introspection of a user's X-User-Token for another backend (RFC 7662); not a use of the token",
    request: object({ token: nonEmpty }),
    response: {
      oneOf: [
        object({ active: { const: true }, user_path: url, session: url, expires_at: dateTime, idle_expires_at: dateTime, roles: { type: 'array', items: { type: 'string' } }, groups: { type: 'array', items: url } }),
        object({ active: { const: false } }),
      ],
    },
    needsServiceKey: true,
  },
  getLockoutSettings: { summary: 'The lockout numbers in force in every process, and which a service changed', response: ref('LockoutSettings'), needsServiceKey: true },
  putLockoutSettings: {
    summary: 'Change lockout numbers for every process; null goes back to the configured value',
    request: object(Object.fromEntries(lockoutSettings.map(({ wire, min, max }) => [wire, { type: ['integer', 'null'], minimum: min, maximum: max }])), []),
    response: ref('LockoutSettings'),
    needsServiceKey: true,
  },
  revokeSessions: {
    summary: "End all of a user's sessions, or the one named after sessions/",
    response: object({ status: success, revoked: { type: 'integer', minimum: 0 } }),
    subpaths: ['{session}/'],
  },
  deleteAccount: {
    summary: 'Erase a user account (its own needs X-User-Password; an admin may erase any); the resource stays, emptied',
    response: ref('ChangeAnswer'),
    needsCurrentPassword: true,
  },
  metaApi: { summary: 'Every resource type and sheet, with their fields', response: ref('MetaApi') },
  openApi: { summary: 'This document', response: { type: 'object', required: ['openapi', 'info', 'paths'] } },
  batch: {
    summary: 'Several requests on resources as one transaction: all are stored, or none',
    request: (config: Config) => ({
      type: 'array',
      maxItems: config.batchMaxRequests,
      items: object(
        {
          method: { enum: ['GET', 'POST', 'PUT'] },
          path: { type: 'string', description: 'A URL, a path, or a preliminary path (@name) made earlier in the batch' },
          body: {},
          result_path: { type: 'string', description: 'A preliminary path (@name) for what this request creates' },
          result_first_version_path: { type: 'string', description: 'A preliminary path for the first version of the item it creates' },
        },
        ['method', 'path'],
      ),
    }),
    response: object({ responses: { type: 'array', items: ref('BatchResponse') }, updated_resources: ref('UpdatedResources') }),
    errorMembers: { responses: { type: 'array', items: ref('BatchResponse') }, updated_resources: ref('UpdatedResources') },
  },
} satisfies Record<string, ViewContract>;
