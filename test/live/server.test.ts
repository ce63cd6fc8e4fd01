// The real server process: /websocket on the API's port and on WS_PORT, and SIGTERM closing every connection with 1001 before the process exits.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, removeDataDir, startServer } from '../hardening/server-process.ts';
import { connect } from '../support/live-client.ts';

describe('live/server process', function () {
  this.timeout(60_000);

  it('serves /websocket on its port and on WS_PORT, and closes every connection with 1001 on SIGTERM, then exits with 0', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'live-server-'));
    const wsPort = await freePort();
    const server = await startServer(await freePort(), { DATA_DIR: dataDir, WS_PORT: String(wsPort) });
    try {
      const onApiPort = await connect(`ws://127.0.0.1:${server.port}/websocket`);
      const onWsPort = await connect(`ws://127.0.0.1:${wsPort}/websocket`);
      for (const client of [onApiPort, onWsPort]) {
        client.send({ action: 'subscribe', resource: '/' });
        assert.deepEqual(await client.next(), { status: 'ok', action: 'subscribe', resource: `${server.url}/` });
      }
      const plain = await fetch(`http://127.0.0.1:${wsPort}/`);
      assert.equal(plain.status, 426, 'WS_PORT answers only WebSocket upgrades');
      const exited = server.stop('SIGTERM');
      assert.deepEqual(await onApiPort.closed, { code: 1001, reason: 'The server is shutting down' });
      assert.deepEqual(await onWsPort.closed, { code: 1001, reason: 'The server is shutting down' });
      assert.equal(await exited, 0, server.output());
    } finally {
      await server.stop('SIGKILL');
      await removeDataDir(dataDir);
    }
  });
});
