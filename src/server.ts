// Reads the configuration, starts the app, listens, and shuts down cleanly on SIGTERM and SIGINT.
import { mkdir } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { createApp } from './app.ts';
import { ConfigError, readConfig } from './config.ts';
import { createHttpServer } from './http-server.ts';
import { listen } from './listen.ts';
import { bufferLines, createLogger, describeError } from './log.ts';
import { StorageUnavailableError } from './storage/storage.ts';

const output = bufferLines((text) => process.stdout.write(text));
// Whatever way the process ends short of SIGKILL, the lines still pending are written first.
process.on('exit', output.flush);
const log = createLogger(output.write);

async function main(): Promise<void> {
  const config = readConfig();
  const dataDir = path.resolve(config.dataDir);
  if (!config.databaseUrl) await mkdir(dataDir, { recursive: true });
  const app = await createApp({
    config,
    log,
    database: config.databaseUrl ? { adapter: 'http', url: config.databaseUrl } : { adapter: 'leveldb', directory: dataDir },
  });

  const server = createHttpServer(config.requestTimeoutSeconds, app.express);
  app.acceptWebSockets(server);
  const servers = [server];
  if (config.wsPort !== undefined) {
    // The same timeouts and answer to unparsable requests as the API's port.
    const wsServer = createHttpServer(config.requestTimeoutSeconds, answerOnlyUpgrades);
    app.acceptWebSockets(wsServer);
    servers.push(wsServer);
  }
  await Promise.all(servers.map((each, index) => listen(each, index === 0 ? config.port : (config.wsPort as number), config.host)));
  log.info('listening', { url: config.publicUrl, port: config.port, ws_port: config.wsPort, database: config.databaseUrl ? 'couchdb' : dataDir });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    // A server closes once its connections are gone, WebSocket connections included.
    void Promise.all([...servers.map((each) => new Promise((resolve) => each.close(resolve))), app.closeWebSockets()]).then(() =>
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error('close_failed', describeError(error));
          process.exit(1);
        },
      ),
    );
    for (const each of servers) each.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** WS_PORT serves /websocket only: every plain request there is told to upgrade. */
function answerOnlyUpgrades(_request: http.IncomingMessage, response: http.ServerResponse): void {
  const body = JSON.stringify({
    status: 'error',
    errors: [{ location: 'header', name: 'Upgrade', description: 'This port serves WebSocket connections at /websocket only', code: 'upgrade_required' }],
  });
  response.writeHead(426, { 'Content-Type': 'application/json; charset=utf-8', Upgrade: 'websocket', Connection: 'Upgrade' }).end(body);
}

/** What to check, by why the store could not be used. */
const storageHints: Record<StorageUnavailableError['reason'], string> = {
  locked: 'Is another server already using this data directory?',
  unreachable: 'Is the database server running and reachable at DATABASE_URL?',
  failed: 'Check DATA_DIR or DATABASE_URL, and the permissions and credentials they need.',
};

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${error.message}\n`);
  } else if (error instanceof StorageUnavailableError) {
    process.stderr.write(`${error.message}\n${storageHints[error.reason]}\n`);
  } else {
    process.stderr.write(`Could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
