// The `adhocracy-ts` command: `test-instance` starts a throwaway instance for test suites in any language, prints one JSON line and runs until told to stop.
import { startTestInstance, type TestInstanceOptions } from './testing.ts';

const usage = `usage: adhocracy-ts test-instance [--base-dir DIR] [--env NAME=value ...]

Starts a throwaway instance on a free port of 127.0.0.1, in memory (on disk in DIR with --base-dir),
with an admin logged in, and prints one line of JSON: {"url": ..., "admin": {"name", "password", "token"}}.
It stops on SIGTERM or SIGINT, or when its standard input closes.
--env sets a server variable of the README (SERVICE_KEYS, TOKEN_IDLE_SECONDS, ...); repeat it for more.
`;

class UsageError extends Error {}

function readArguments(args: readonly string[]): TestInstanceOptions {
  const [command, ...rest] = args;
  if (command !== 'test-instance') throw new UsageError(command === undefined ? 'no command given' : `unknown command ${command}`);
  const env: Record<string, string> = {};
  let baseDir: string | undefined;
  for (let index = 0; index < rest.length; index += 1) {
    const option = rest[index];
    const value = rest[index + 1];
    if ((option === '--base-dir' || option === '--env') && value === undefined) throw new UsageError(`${option} needs a value`);
    if (option === '--base-dir') baseDir = value;
    else if (option === '--env') {
      const separator = (value as string).indexOf('=');
      if (separator < 1) throw new UsageError(`--env takes NAME=value, not ${value}`);
      env[(value as string).slice(0, separator)] = (value as string).slice(separator + 1);
    } else throw new UsageError(`unknown option ${option}`);
    index += 1;
  }
  return { env, ...(baseDir === undefined ? {} : { baseDir }) };
}

async function main(): Promise<void> {
  let options: TestInstanceOptions;
  try {
    options = readArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`adhocracy-ts: ${error.message}\n\n${usage}`);
    process.exit(2);
  }
  const instance = await startTestInstance(options);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    instance.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`adhocracy-ts: stopping failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The caller holds standard input open for as long as it wants the instance; when it ends, so does the instance.
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  process.stdout.write(`${JSON.stringify({ url: instance.url, admin: instance.admin })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`adhocracy-ts: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
