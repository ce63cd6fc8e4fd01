// Logs as JSON lines; callers pass fields by name, and secrets never reach it.
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export function createLogger(write: (line: string) => void, clock: () => number = Date.now): Logger {
  const emit = (level: string, event: string, fields: Record<string, unknown> = {}) => {
    write(`${JSON.stringify({ time: new Date(clock()).toISOString(), level, event, ...fields })}\n`);
  };
  return {
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}

export interface LineBuffer {
  write(line: string): void;
  /** Writes what is pending now, e.g. when the process exits. */
  flush(): void;
}

/**
 * Hands lines on in one piece per turn of the event loop (or sooner past `maxChars`): a write to standard
 * output is a system call, and one per request cost the authenticated GET about a tenth of its rate.
 */
export function bufferLines(output: (text: string) => void, maxChars = 64 * 1024): LineBuffer {
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = () => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    pendingChars = 0;
    output(text);
  };
  return {
    write(line) {
      if (pending.length === 0) setImmediate(flush);
      pending.push(line);
      pendingChars += line.length;
      if (pendingChars >= maxChars) flush();
    },
    flush,
  };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** An error's message and stack for the log; the client never sees them. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: error.message, stack: error.stack };
  // PouchDB's errors for a server's answers are plain objects: what they say is in their fields.
  if (typeof error === 'object' && error !== null) {
    const fields = Object.entries(error).filter(([key, value]) => ['name', 'status', 'message', 'reason', 'error', 'stack'].includes(key) && (typeof value === 'string' || typeof value === 'number'));
    if (fields.length > 0) return { error: JSON.stringify(Object.fromEntries(fields.filter(([key]) => key !== 'stack'))), stack: (error as { stack?: unknown }).stack };
  }
  return { error: String(error) };
}
