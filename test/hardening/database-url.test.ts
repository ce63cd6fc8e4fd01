// The real server with DATABASE_URL: an unreachable CouchDB at start-up is named as such, and the URL's password is never printed.
import assert from 'node:assert/strict';
import { ConfigError, readConfig } from '../../src/config.ts';
import { freePort, spawnServer } from './server-process.ts';

describe('hardening/database url', function () {
  this.timeout(60_000);

  it('names an unreachable database at start-up, without its password and without blaming a data directory', async () => {
    const port = await freePort();
    const password = 'never-printed-5be21d';
    const server = spawnServer(await freePort(), { DATABASE_URL: `http://couch-admin:${password}@127.0.0.1:${port}/adhocracy` });
    const code = await server.exited;
    const output = server.output();
    assert.notEqual(code, 0, output);
    assert.ok(output.includes(`http://127.0.0.1:${port}/adhocracy`), output);
    assert.match(output, /ECONNREFUSED/);
    assert.doesNotMatch(output, /data directory/);
    assert.ok(!output.includes(password), output);
  });

  it('does not repeat a DATABASE_URL with credentials that it refuses', () => {
    for (const value of ['ftp://couch-admin:never-printed-5be21d@127.0.0.1/db', 'http//couch-admin:never-printed-5be21d@127.0.0.1/db']) {
      assert.throws(
        () => readConfig({ DATABASE_URL: value }),
        (error: unknown) => error instanceof ConfigError && error.message.includes('DATABASE_URL') && !error.message.includes('never-printed'),
      );
    }
  });
});
