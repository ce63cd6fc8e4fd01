// Log lines: JSON, with the fields given, handed to standard output in one write per turn of the event loop.
import assert from 'node:assert/strict';
import { bufferLines, createLogger, describeError } from '../src/log.ts';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('log', () => {
  it('writes one JSON line per event with its level, time and fields', () => {
    const lines: string[] = [];
    createLogger((line) => lines.push(line), () => Date.UTC(2026, 0, 1)).warn('login_locked', { account: '/principals/users/0000001/' });
    assert.deepEqual(lines, ['{"time":"2026-01-01T00:00:00.000Z","level":"warn","event":"login_locked","account":"/principals/users/0000001/"}\n']);
  });

  it('describes an error that is a plain object, as PouchDB makes of a server\'s answer, by what its fields say', () => {
    const described = describeError({ status: 500, name: 'unknown_error', message: 'Database encountered an unknown error', docId: '/a/' });
    assert.equal(described.error, '{"status":500,"name":"unknown_error","message":"Database encountered an unknown error"}');
    assert.deepEqual(describeError(new Error('plain')).error, 'plain');
  });

  it('hands the lines of one turn of the event loop on in one write, after that turn', async () => {
    const writes: string[] = [];
    const buffer = bufferLines((text) => writes.push(text));
    buffer.write('a\n');
    buffer.write('b\n');
    assert.deepEqual(writes, []);
    await nextTurn();
    assert.deepEqual(writes, ['a\nb\n']);
    buffer.write('c\n');
    await nextTurn();
    assert.deepEqual(writes, ['a\nb\n', 'c\n']);
  });

  it('writes at once what is pending when flushed, and nothing twice', async () => {
    const writes: string[] = [];
    const buffer = bufferLines((text) => writes.push(text));
    buffer.flush();
    buffer.write('a\n');
    buffer.flush();
    assert.deepEqual(writes, ['a\n']);
    await nextTurn();
    assert.deepEqual(writes, ['a\n']);
  });

  it('does not hold more than its limit until the turn ends', () => {
    const writes: string[] = [];
    const buffer = bufferLines((text) => writes.push(text), 10);
    buffer.write('12345\n');
    assert.deepEqual(writes, []);
    buffer.write('67890\n');
    assert.deepEqual(writes, ['12345\n67890\n']);
  });
});
