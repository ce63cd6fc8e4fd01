// Listening: an address that cannot be had is a one-line configuration error naming the setting.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../src/config.ts';
import { listen } from '../src/listen.ts';

describe('listen', () => {
  it('refuses a port in use with a ConfigError naming the port', async () => {
    const taken = http.createServer();
    await listen(taken, 0, '127.0.0.1');
    const { port } = taken.address() as AddressInfo;
    try {
      await assert.rejects(listen(http.createServer(), port, '127.0.0.1'), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.message, `PORT ${port} is already in use on 127.0.0.1; stop what listens there or choose another PORT`);
        return true;
      });
    } finally {
      taken.close();
    }
  });

  it('refuses an address of another machine with a ConfigError naming HOST', async () => {
    // 192.0.2.0/24 is reserved for documentation: no machine has it.
    await assert.rejects(listen(http.createServer(), 0, '192.0.2.1'), new ConfigError('HOST 192.0.2.1 is not an address of this machine'));
  });
});
