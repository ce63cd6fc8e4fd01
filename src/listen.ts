// Listening on the configured address; the usual reasons it fails become one line naming the setting to change.
import type { Server } from 'node:http';
import { ConfigError } from './config.ts';

export async function listen(server: Server, port: number, host: string): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
  } catch (error) {
    throw describeListenError(error, port, host) ?? error;
  }
}

/** A ConfigError for what a setting can fix, undefined for anything else (which keeps its stack). */
function describeListenError(error: unknown, port: number, host: string): ConfigError | undefined {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'EADDRINUSE':
      return new ConfigError(`PORT ${port} is already in use on ${host}; stop what listens there or choose another PORT`);
    case 'EACCES':
      return new ConfigError(`PORT ${port} on ${host} needs privileges this process does not have; choose a PORT above 1023`);
    case 'EADDRNOTAVAIL':
      return new ConfigError(`HOST ${host} is not an address of this machine`);
    default:
      return undefined;
  }
}
