// The server process from the sources, as npm run dev runs it: it serves an on-disk store, refuses a second process on the same data, stops cleanly.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { freePort, fromSources } from './hardening/server-process.ts';
import { trackChild } from './support/children.ts';
import { assertFaster } from './support/timing.ts';

const root = path.resolve(import.meta.dirname, '..');

interface Running {
  child: ChildProcess;
  output: () => string;
}

function startServer(env: Record<string, string>): Running {
  const child = trackChild(
    spawn(process.execPath, fromSources, {
      cwd: root,
      env: { ...process.env, HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
    'server of test/server.test.ts',
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitForListening(server: Running, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!server.output().includes('"event":"listening"')) {
    if (server.child.exitCode !== null) throw new Error(`server exited: ${server.output()}`);
    if (Date.now() > deadline) throw new Error(`server did not start: ${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('server', function () {
  this.timeout(60_000);
  let dataDir: string;
  // A port the system hands out, not one picked at random: other test files may be listening side by side.
  let port: string;
  const env = () => ({ PORT: port, DATA_DIR: dataDir, PUBLIC_URL: `http://127.0.0.1:${port}` });

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'adhocracy-data-'));
    port = String(await freePort());
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps what it stored across a restart, and stops with 0 on SIGTERM', async () => {
    const first = startServer(env());
    await waitForListening(first);
    const body = {
      content_type: 'adhocracy_core.resources.principal.IUser',
      data: {
        'adhocracy_core.sheets.principal.IUserBasic': { name: 'Anna' },
        'adhocracy_core.sheets.principal.IUserExtended': { email: 'anna@example.org' },
        'adhocracy_core.sheets.principal.IPasswordAuthentication': { password: 'EckVocUbs3' },
      },
    };
    const created = await fetch(`http://127.0.0.1:${port}/principals/users`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(created.status, 200);
    first.child.kill('SIGTERM');
    const [code] = await once(first.child, 'exit');
    assert.equal(code, 0);
    assert.match(first.output(), /"event":"request".*"status":200/);
    // Log lines are written once per turn of the event loop; the last one before the exit still arrives.
    assert.match(first.output(), /"event":"stopping","signal":"SIGTERM"/);

    const second = startServer(env());
    await waitForListening(second);
    const login = await fetch(`http://127.0.0.1:${port}/login_username`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Anna', password: 'EckVocUbs3' }),
    });
    assert.equal(login.status, 200);
    second.child.kill('SIGTERM');
    await once(second.child, 'exit');
    assert.doesNotMatch(first.output() + second.output(), /EckVocUbs3|argon2id\$/);
  });

  it('refuses to start a second process on the same data directory, naming it, while the first keeps serving', async () => {
    const first = startServer(env());
    await waitForListening(first);
    try {
      const started = Date.now();
      const second = startServer({ ...env(), PORT: String(await freePort()) });
      const [code] = await once(second.child, 'exit');
      assert.notEqual(code, 0);
      assertFaster(Date.now() - started, 5_000, 'giving up on a locked data directory');
      assert.ok(second.output().includes(dataDir), second.output());
      const stillServing = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(stillServing.status, 200);
    } finally {
      first.child.kill('SIGTERM');
      await once(first.child, 'exit');
    }
  });

  it('exits with one line naming the port when another process listens on it', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(Number(port), '127.0.0.1', resolve));
    try {
      const server = startServer(env());
      const [code] = await once(server.child, 'exit');
      assert.equal(code, 1);
      assert.equal(server.output().trim().split('\n').at(-1), `Configuration error: PORT ${port} is already in use on 127.0.0.1; stop what listens there or choose another PORT`);
      assert.doesNotMatch(server.output(), /^\s+at /m);
    } finally {
      taken.close();
    }
  });

  it('exits with a clear message on a bad setting', async () => {
    const server = startServer({ ...env(), PORT: 'eighty' });
    const [code] = await once(server.child, 'exit');
    assert.equal(code, 1);
    assert.match(server.output(), /Configuration error: PORT must be a whole number/);
  });
});
