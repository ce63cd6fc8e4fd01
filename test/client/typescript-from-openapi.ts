// Renders /openapi.json as the TypeScript of src/client/generated.ts: the schemas, the operations and an error class per code.
type Schema = { [keyword: string]: unknown };

interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId?: string; requestBody?: { content: Record<string, { schema: Schema }> }; responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>;
  components: { schemas: Record<string, Schema> };
}

const quote = (text: string) => JSON.stringify(text);
const isIdentifier = (name: string) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
const key = (name: string) => (isIdentifier(name) ? name : quote(name));

/** `wrong_credentials` → `WrongCredentialsError`. */
export function errorClassName(code: string): string {
  return `${code.replace(/(^|_)([a-z0-9])/g, (_, _separator: string, letter: string) => letter.toUpperCase())}Error`;
}

/** The TypeScript type a JSON Schema describes, as far as types can say it (lengths and patterns stay with the server). */
function render(schema: Schema | undefined, indent: string): string {
  if (schema === undefined) return 'unknown';
  if (typeof schema.$ref === 'string') return `Schemas[${quote(schema.$ref.replace('#/components/schemas/', ''))}]`;
  const alternatives = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (alternatives) return alternatives.map((alternative) => render(alternative, indent)).join(' | ');
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.length === 0) return schema.properties ? renderObject(schema, indent) : 'unknown';
  return types.map((type) => renderType(type, schema, indent)).join(' | ');
}

function renderType(type: string, schema: Schema, indent: string): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      const items = render(schema.items as Schema | undefined, indent);
      return /^[\w".[\]]+$/.test(items) ? `${items}[]` : `Array<${items}>`;
    }
    default:
      return renderObject(schema, indent);
  }
}

function renderObject(schema: Schema, indent: string): string {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const inner = `${indent}  `;
  const lines = Object.entries(properties).map(([name, property]) => {
    const comment = typeof property.description === 'string' ? `${inner}/** ${property.description.replace(/\*\//g, '* /')} */\n` : '';
    const readonly = property.readOnly === true ? 'readonly ' : '';
    return `${comment}${inner}${readonly}${key(name)}${required.has(name) ? '' : '?'}: ${render(property, inner)};`;
  });
  const additional = schema.additionalProperties;
  if (additional !== undefined && additional !== false) {
    lines.push(`${inner}[key: string]: ${additional === true ? 'unknown' : render(additional as Schema, inner)};`);
  }
  if (lines.length === 0) return additional === false ? 'Record<string, never>' : 'Record<string, unknown>';
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** The whole file; `banner` is its first line. */
export function renderClientTypes(document: OpenApiDocument): string {
  const out: string[] = [
    '// Generated from /openapi.json by test/client/typescript-from-openapi.ts; `npm run generate:client` renews it, and a test fails while it is stale.',
    "import { AdhocracyError } from './errors.ts';",
    '',
    '/** Every schema of the document: sheets and resource types by their ids (`<type>.create`, `<type>.edit` for the bodies of POST and PUT), and the answers of the views. */',
    'export interface Schemas {',
  ];
  for (const [name, schema] of Object.entries(document.components.schemas)) out.push(`  ${quote(name)}: ${render(schema, '  ')};`);
  out.push('}', '');

  out.push('/** The named views, by operation id: the body each takes and the answer of its 200. */', 'export interface Operations {');
  for (const [template, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!operation.operationId) continue;
      const request = operation.requestBody?.content['application/json']?.schema;
      const response = operation.responses['200']?.content?.['application/json']?.schema;
      out.push(`  /** ${method.toUpperCase()} ${template} */`);
      out.push(`  ${operation.operationId}: { request: ${request ? render(request, '    ') : 'undefined'}; response: ${response ? render(response, '    ') : 'undefined'} };`);
    }
  }
  out.push('}', '');

  const types = Object.keys(document.components.schemas).filter((name) => name.endsWith('.create')).map((name) => name.slice(0, -'.create'.length));
  const sheets = Object.keys(document.components.schemas).filter((name) => name.includes('.sheets.'));
  out.push(`export const contentTypes = ${JSON.stringify(types, null, 2)} as const;`, '');
  out.push('export type ContentType = (typeof contentTypes)[number];', '');
  out.push(`export const sheetIds = ${JSON.stringify(sheets, null, 2)} as const;`, '');
  out.push('export type SheetId = (typeof sheetIds)[number];', '');

  const detail = document.components.schemas.ErrorDetail as { properties: { code: { enum: string[]; 'x-enum-descriptions': Record<string, string> } } };
  const codes = detail.properties.code.enum;
  out.push('export type ErrorCode = Schemas["ErrorDetail"]["code"] & string;', '');
  for (const code of codes) {
    out.push(`/** ${detail.properties.code['x-enum-descriptions'][code] ?? code} (\`${code}\`) */`);
    out.push(`export class ${errorClassName(code)} extends AdhocracyError {`, `  override name = ${quote(errorClassName(code))};`, '}', '');
  }
  out.push('/** The class of the error of each code. */');
  out.push('export const errorClasses: Record<ErrorCode, typeof AdhocracyError> = {');
  for (const code of codes) out.push(`  ${key(code)}: ${errorClassName(code)},`);
  out.push('};', '');
  return out.join('\n');
}
