// The query parameters of GET on a pool: which elements to list and how many.
import { badRequest } from '../errors.ts';

export interface PoolQuery {
  elements: 'omit' | 'paths' | 'content';
  limit: number | undefined;
  offset: number;
}

const maxLimit = 10_000;

/** Reads the parameters this version understands; any other is a 400 naming it. */
export function parsePoolQuery(query: Readonly<Record<string, string>>, isPool: boolean): PoolQuery {
  const parsed: PoolQuery = { elements: 'omit', limit: undefined, offset: 0 };
  for (const [name, value] of Object.entries(query)) {
    if (!isPool) throw badRequest('querystring', name, `${name} is not a parameter of this resource`, 'unknown_parameter');
    switch (name) {
      case 'elements':
        if (value !== 'omit' && value !== 'paths' && value !== 'content') {
          throw badRequest('querystring', name, 'elements must be omit, paths or content');
        }
        parsed.elements = value;
        break;
      case 'limit':
        parsed.limit = wholeNumber(name, value, 1, maxLimit);
        break;
      case 'offset':
        parsed.offset = wholeNumber(name, value, 0, Number.MAX_SAFE_INTEGER);
        break;
      case 'count':
        // The count is always part of IPool; accepted for clients that ask for it explicitly.
        if (value !== 'true' && value !== 'false') throw badRequest('querystring', name, 'count must be true or false');
        break;
      default:
        throw badRequest('querystring', name, `${name} is not a known query parameter`, 'unknown_parameter');
    }
  }
  return parsed;
}

function wholeNumber(name: string, value: string, min: number, max: number): number {
  const number = /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= min && number <= max)) {
    throw badRequest('querystring', name, `${name} must be a whole number from ${min} to ${max}`);
  }
  return number;
}
