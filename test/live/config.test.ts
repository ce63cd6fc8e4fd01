// The settings of live notifications: their defaults, and a clear refusal naming the variable for a bad value.
import assert from 'node:assert/strict';
import { ConfigError, readConfig } from '../../src/config.ts';

describe('live/config', () => {
  it('has the documented defaults', () => {
    const config = readConfig({});
    assert.equal(config.wsPort, undefined);
    assert.deepEqual(config.live, { maxSubscriptions: 1000, maxConnectionsPerAddress: 100, resumeWindow: 1000, heartbeatSeconds: 30, maxBufferedBytes: 1_048_576 });
  });

  it('refuses bad values, naming the variable', () => {
    for (const [name, value] of [
      ['WS_PORT', '6541'],
      ['WS_PORT', '70000'],
      ['WS_MAX_SUBSCRIPTIONS', '0'],
      ['WS_MAX_CONNECTIONS_PER_ADDRESS', 'many'],
      ['WS_RESUME_WINDOW', '-1'],
      ['WS_HEARTBEAT_SECONDS', '0'],
      ['WS_MAX_BUFFERED_BYTES', '100'],
    ] as const) {
      assert.throws(
        () => readConfig({ [name]: value }),
        (error: unknown) => error instanceof ConfigError && error.message.includes(name),
        `${name}=${value}`,
      );
    }
  });
});
