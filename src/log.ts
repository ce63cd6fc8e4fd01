// Logs as JSON lines; callers pass fields by name, and secrets never reach it.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

const contextFields = new AsyncLocalStorage<Readonly<Record<string, unknown>>>();

/**
 * Runs `work` so that every line logged while it (and whatever it awaits) runs carries `fields`: the
 * request id reaches the events of the model (logins, lockouts) without threading it through every call.
 */
export function runWithLogFields<T>(fields: Readonly<Record<string, unknown>>, work: () => T): T {
  return contextFields.run({ ...contextFields.getStore(), ...fields }, work);
}

export function createLogger(write: (line: string) => void, clock: () => number = Date.now): Logger {
  const emit = (level: string, event: string, fields: Record<string, unknown> = {}) => {
    write(`${JSON.stringify({ time: new Date(clock()).toISOString(), level, event, ...contextFields.getStore(), ...fields })}\n`);
  };
  return {
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** An error's message and stack for the log; the client never sees them. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: error.message, stack: error.stack };
  return { error: String(error) };
}
