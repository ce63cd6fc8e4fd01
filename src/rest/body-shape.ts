// The top level of a request body: an object with known members, the required ones present.
import { ErrorCollector, invalidInput } from '../errors.ts';
import { isPlainObject } from '../model/sheet-input.ts';

export function readBodyObject(body: unknown, known: readonly string[], required: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(body)) {
    throw invalidInput([{ location: 'body', name: 'body', description: 'The body must be a JSON object', code: 'not_an_object' }]);
  }
  const errors = new ErrorCollector();
  for (const name of Object.keys(body)) {
    if (errors.isFull) break;
    if (!known.includes(name)) errors.add({ location: 'body', name, description: `${name} is not a known member`, code: 'unknown_member' });
  }
  for (const name of required) {
    if (!Object.hasOwn(body, name)) errors.add({ location: 'body', name, description: `${name} is required`, code: 'required' });
  }
  errors.throwIfAny();
  return body;
}
