// The websocket blocks of literate specs: named connections to the spec's app, frames sent with captures, the messages that come checked in order.
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type LiveClient, type Message } from '../support/live-client.ts';
import { formatPattern, matchPattern, substituteInJson, type Captures } from './expect.ts';
import { SpecError, type WebSocketStep } from './parse.ts';

interface OpenConnection {
  client: LiveClient;
}

/** The connections a spec opened, by name. */
export class SpecSockets {
  private readonly connections = new Map<string, OpenConnection>();

  constructor(
    private readonly url: string,
    private readonly file: string,
    /** How long a RECEIVE waits for each message. */
    private readonly timeoutMs: number,
  ) {}

  /** Runs one block; answers the captures, with those its messages made. */
  async run(step: WebSocketStep, captures: Captures): Promise<Captures> {
    const fail = (line: number, message: string): never => {
      throw new SpecError(this.file, line, message);
    };
    if (step.command === 'OPEN') {
      if (this.connections.has(step.connection)) fail(step.line, `a connection named ${step.connection} is open already`);
      this.connections.set(step.connection, { client: await connect(this.url) });
      return captures;
    }
    const open = this.connections.get(step.connection) ?? fail(step.line, `no connection named ${step.connection} is open (open it with OPEN ${step.connection})`);
    const { client } = open;
    switch (step.command) {
      case 'SEND': {
        const text = inContext(this.file, step.line, () => substituteInJson(step.text ?? '', captures));
        client.sendRaw(step.binary ? Buffer.from(text) : text, { binary: step.binary === true });
        return captures;
      }
      case 'RECEIVE':
        return this.receive(step, client, captures);
      case 'CLOSE':
        await client.close();
        this.connections.delete(step.connection);
        return captures;
      case 'CLOSED': {
        const closed = await Promise.race([client.closed, sleep(this.timeoutMs, undefined, { ref: false })]);
        if (!closed) fail(step.line, `${step.connection} was not closed within ${this.timeoutMs} ms`);
        else if (closed.code !== step.code) fail(step.line, `${step.connection} was closed with ${closed.code} (${closed.reason}), not ${step.code}`);
        this.connections.delete(step.connection);
        return captures;
      }
    }
    return captures;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.connections.values()].map(({ client }) => client.close().catch(() => undefined)));
    this.connections.clear();
  }

  private async receive(step: WebSocketStep, client: LiveClient, captures: Captures): Promise<Captures> {
    let current = captures;
    const seen: Message[] = [];
    for (const [index, expected] of (step.messages ?? []).entries()) {
      const describe = () =>
        [
          `expected (${this.file}:${expected.line}):`,
          indent(formatPattern(expected.pattern, current, null)),
          '',
          `received on ${step.connection} (${this.file}:${step.line}):`,
          indent([...seen, ...client.pending()].map((message) => JSON.stringify(message)).join('\n') || '(nothing)'),
        ].join('\n');
      let message: Message;
      try {
        message = await client.next(this.timeoutMs);
      } catch {
        throw new SpecError(this.file, expected.line, `message ${index + 1} on ${step.connection} did not come within ${this.timeoutMs} ms\n\n${describe()}`);
      }
      seen.push(message);
      const result = inContext(this.file, expected.line, () => matchPattern(expected.pattern, message, current));
      if (!result.ok) throw new SpecError(this.file, expected.line, `message ${index + 1} on ${step.connection} does not match at ${result.path}: ${result.reason}\n\n${describe()}`);
      current = result.captures;
    }
    return current;
  }
}

function inContext<T>(file: string, line: number, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof Error && !(error instanceof SpecError)) throw new SpecError(file, line, error.message);
    throw error;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '' : `    ${line}`))
    .join('\n');
}
