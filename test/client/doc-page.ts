// What docs/client.md's program sees of its page: render() records, localStorage keeps strings in memory, expectRendered() checks.
import assert from 'node:assert/strict';

export const rendered: unknown[] = [];

export function render(view: Record<string, unknown>): void {
  // Members left undefined are not shown, as a page would not show them.
  rendered.push(JSON.parse(JSON.stringify(view)));
}

export function expectRendered(expected: unknown[]): void {
  assert.deepEqual(rendered, expected, JSON.stringify(rendered));
}

const items = new Map<string, string>();

export const localStorage = {
  getItem: (key: string) => items.get(key) ?? null,
  setItem: (key: string, value: string) => void items.set(key, String(value)),
  removeItem: (key: string) => void items.delete(key),
};
