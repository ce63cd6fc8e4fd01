// Holds an HTTP exchange against the OpenAPI document: the operation it hit, its query, its request body and its answer.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** One request and its answer, as a spec or a test made them. */
export interface Exchange {
  method: string;
  /** The path, without query. */
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body sent, if any. */
  requestBody?: unknown;
  status: number;
  /** The parsed JSON answer, if any. */
  responseBody?: unknown;
}

type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };
interface Operation {
  parameters?: { name: string; in: string }[];
  requestBody?: { required?: boolean };
  responses: Record<string, { content?: unknown }>;
}

// ajv-formats is CommonJS whose default export node hands over as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

const pointerOf = (...segments: string[]) => segments.map((segment) => `/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** A path template as a regular expression: `{path}` spans segments, other parameters one; a trailing slash is optional. */
function templatePattern(template: string): RegExp {
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((piece) => (piece === '{path}' ? '[^?#]+/' : piece.startsWith('{') ? '[^/]+' : piece.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern.replace(/\/$/, '')}/?$`);
}

export interface ContractChecker {
  /** What in the exchange the document does not allow; empty when it holds. */
  check(exchange: Exchange): string[];
}

export function createContractChecker(openApi: object): ContractChecker {
  const document = openApi as OpenApiDocument;
  const ajv = new Ajv2020({ strict: false, allErrors: true, discriminator: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema(document as object, 'openapi');
  const compiled = new Map<string, ValidateFunction>();
  const validatorAt = (pointer: string) => {
    let validate = compiled.get(pointer);
    if (!validate) compiled.set(pointer, (validate = ajv.compile({ $ref: `openapi#${pointer}` })));
    return validate;
  };
  // Literal paths first, then those with parameters, the resource tree's `{path}` last.
  const templates = Object.keys(document.paths)
    .map((template) => ({ template, pattern: templatePattern(template), rank: template.includes('{path}') ? 2 : template.includes('{') ? 1 : 0 }))
    .sort((a, b) => a.rank - b.rank);

  const validate = (pointer: string, value: unknown, what: string): string[] => {
    const validator = validatorAt(pointer);
    if (validator(value)) return [];
    return (validator.errors ?? []).slice(0, 8).map((error) => `${what}${error.instancePath}: ${error.message ?? 'is not valid'} (${error.schemaPath})`);
  };

  return {
    check(exchange) {
      const method = exchange.method.toLowerCase();
      const found = templates.find(({ template, pattern }) => pattern.test(exchange.path) && document.paths[template]?.[method] !== undefined);
      const isSuccess = exchange.status >= 200 && exchange.status < 300;
      if (!found) {
        if (isSuccess) return [`${exchange.method} ${exchange.path} answered ${exchange.status}, but the document has no such operation`];
        return validate(pointerOf('components', 'schemas', 'ErrorEnvelope'), exchange.responseBody, 'response');
      }
      const operation = document.paths[found.template]?.[method] as Operation;
      const at = (...segments: string[]) => pointerOf('paths', found.template, method, ...segments);
      const problems: string[] = [];
      // What the server refused is no example of a request the contract allows.
      if (isSuccess) {
        const declared = new Set((operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name));
        for (const name of Object.keys(exchange.query)) if (!declared.has(name)) problems.push(`query parameter ${name} is not in the document`);
        if (exchange.requestBody !== undefined) {
          if (operation.requestBody) problems.push(...validate(at('requestBody', 'content', 'application/json', 'schema'), exchange.requestBody, 'request body'));
          else problems.push('a body was sent, but the operation takes none');
        } else if (operation.requestBody?.required) {
          problems.push('the operation needs a body, none was sent');
        }
      }
      const key = isSuccess || operation.responses[String(exchange.status)] ? String(exchange.status) : 'default';
      const response = operation.responses[key];
      if (!response) problems.push(`the document has no ${key} answer for ${exchange.method} ${found.template}`);
      else if (response.content && method !== 'head') problems.push(...validate(at('responses', key, 'content', 'application/json', 'schema'), exchange.responseBody, 'response'));
      return problems.map((problem) => `${exchange.method} ${found.template}: ${problem}`);
    },
  };
}
