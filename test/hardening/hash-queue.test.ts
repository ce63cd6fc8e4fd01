// Password hashing under a burst of logins: a bounded queue, 503 with Retry-After beyond it, no growth, no lasting harm.
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { registrationBody, startTestApp, type TestApp } from '../support/test-app.ts';
import { envelopeProblem } from './answers.ts';
import { listenOn, type Listening } from './listen.ts';
import { assertFaster } from '../support/timing.ts';

/** A full collection before measuring, so that the heap holds what is live and not what awaits collection. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('hardening/hash queue', function () {
  this.timeout(60_000);
  let t: TestApp;
  let server: Listening;

  before(async () => {
    t = await startTestApp({
      env: { HASH_CONCURRENCY: '1', HASH_QUEUE: '1', LOCKOUT_ACCOUNT_FAILURES: '1000', LOCKOUT_ADDRESS_FAILURES: '100000' },
    });
    server = await listenOn(t);
    await t.http.post('/principals/users').send(registrationBody('Anna', 'anna@example.org')).expect(200);
  });
  after(async () => {
    await server?.close();
    await t?.close();
  });

  async function logIn(name: string, password: string): Promise<{ status: number; retryAfter: string | null; body: unknown; ms: number }> {
    const started = performance.now();
    const response = await fetch(`${server.url}/login_username`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, password }),
    });
    return { status: response.status, retryAfter: response.headers.get('Retry-After'), body: await response.json(), ms: performance.now() - started };
  }

  it('keeps answering unknown users normally after a burst refused the first of them with 503', async () => {
    // The first unknown user's login is also the first to need the dummy hash; the burst makes it wait its turn.
    const burst = await Promise.all([...Array.from({ length: 8 }, () => logIn('Anna', 'wrong password')), logIn('Nobody', 'wrong password')]);
    assert.ok(burst.some((answer) => answer.status === 503), 'the burst never filled the queue');
    const later = await logIn('Nobody Else', 'wrong password');
    assert.equal(later.status, 400, `an unknown user still gets ${later.status}: ${JSON.stringify(later.body)}`);
    assert.equal((await logIn('Anna', 'EckVocUbs3')).status, 200);
  });

  it('answers a burst beyond the queue at once with 503, Retry-After and the envelope, and holds no more than the queue', async () => {
    const waves = 6;
    const perWave = 100;
    const heap: number[] = [];
    let refused = 0;
    for (let wave = 0; wave < waves; wave += 1) {
      const answers = await Promise.all(Array.from({ length: perWave }, (_, index) => logIn(index % 2 ? 'Anna' : `Nobody ${index}`, 'wrong password')));
      for (const answer of answers) {
        assert.ok(answer.status === 400 || answer.status === 503, `status ${answer.status}`);
        assert.equal(envelopeProblem(answer.body), undefined);
        if (answer.status !== 503) continue;
        refused += 1;
        assert.equal(answer.retryAfter, '1');
        assert.equal((answer.body as { errors: { code: string }[] }).errors[0]?.code, 'busy');
      }
      // One hash running and one waiting: nobody waits behind a long queue, however many ask at once.
      const slowest = Math.max(...answers.map((answer) => answer.ms));
      assertFaster(slowest, 3_000, 'the slowest login of a wave');
      collectGarbage();
      heap.push(process.memoryUsage().heapUsed);
    }
    // Those that find the one slot free get a turn: how many depends on how fast the requests arrive
    // against how long a hash takes (537 of 600 refused on an idle machine, more under load). An
    // unbounded queue would refuse none.
    assert.ok(refused >= waves * perWave * 0.75, `only ${refused} of ${waves * perWave} were refused`);
    const growth = ((heap.at(-1) as number) - (heap[1] as number)) / 1024 / 1024;
    console.log(`      ${refused} of ${waves * perWave} logins refused with 503; heap after waves 2..${waves}: ${heap.slice(1).map((bytes) => (bytes / 1024 / 1024).toFixed(1)).join(', ')} MB`);
    assert.ok(growth < 8, `the heap grew by ${growth.toFixed(1)} MB over ${waves - 2} waves`);
  });
});
