// The top level of a request body: an object with known members, the required ones present.
import { invalidInput, type ErrorDetail } from '../errors.ts';
import { isPlainObject } from '../model/sheet-input.ts';

export function readBodyObject(body: unknown, known: readonly string[], required: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(body)) {
    throw invalidInput([{ location: 'body', name: 'body', description: 'The body must be a JSON object', code: 'not_an_object' }]);
  }
  const errors: ErrorDetail[] = [];
  for (const name of Object.keys(body)) {
    if (!known.includes(name)) errors.push({ location: 'body', name, description: `${name} is not a known member`, code: 'unknown_member' });
  }
  for (const name of required) {
    if (!Object.hasOwn(body, name)) errors.push({ location: 'body', name, description: `${name} is required`, code: 'required' });
  }
  if (errors.length > 0) throw invalidInput(errors);
  return body;
}
