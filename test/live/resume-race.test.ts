// Dropping and resuming while writes go on, many times, on every store: the connection that hops ends up with exactly the events of one that never dropped, none missed, none twice.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startCouchServer, type CouchServer } from '../support/couch-server.ts';
import type { LiveClient, Message } from '../support/live-client.ts';
import { startLiveApp, type LiveApp } from '../support/live-app.ts';
import { ids } from '../support/test-app.ts';
import { waitFor } from '../support/wait.ts';

const rounds = Number(process.env.RESUME_RACE_ROUNDS ?? 12);
const writesPerRound = 5;

const isEvent = (message: Message) => typeof message.event === 'string' && message.event !== 'resync_required';
const describe_ = (message: Message) => `${String(message.seq)} ${String(message.event)} ${String(message.resource)} ${String(message.child ?? '')}`;

/** Writes into the pool and changes it, without pause, while `hop` drops and resumes the other connection. */
async function runRace(writer: LiveApp, hopTo: () => LiveApp): Promise<void> {
  const token = writer.adminToken;
  await writer.t.http.post('/').set('X-User-Token', token).send({ content_type: ids.basicPool, data: { [ids.name]: { name: 'p' } } }).expect(200);
  const witness = await writer.connect();
  witness.send({ action: 'subscribe', resource: '/p/' });
  assert.equal((await witness.next()).status, 'ok');
  let hopper: LiveClient = await hopTo().connect();
  hopper.send({ action: 'subscribe', resource: '/p/' });
  assert.equal((await hopper.next()).status, 'ok');

  const heard: Message[] = [];
  let writes = 0;
  const writing = (async () => {
    for (let index = 0; index < rounds * writesPerRound; index++) {
      const request =
        index % 2 === 0
          ? writer.t.http.post('/p/').send({ content_type: ids.basicPool, data: { [ids.name]: { name: `c${index}` } } })
          : writer.t.http.put('/p/').send({ data: { [ids.title]: { title: `t${index}` } } });
      await request.set('X-User-Token', token).expect(200);
      writes++;
    }
  })();
  for (let round = 0; round < rounds; round++) {
    await waitFor(() => writes >= (round + 1) * writesPerRound - 2 || writes === rounds * writesPerRound, 'some writes');
    // The connection drops anywhere, in the middle of a transaction's events too: it got only some of what was sent.
    const arrived = hopper.pending().filter(isEvent);
    heard.push(...arrived.slice(0, arrived.length - (round % 4)));
    await hopper.close();
    const last = heard.at(-1);
    hopper = await hopTo().connect();
    hopper.send({ action: 'resume', since: last?.seq ?? 0, resources: ['/p/'] });
    // What the resume replays, up to its confirmation, and whatever comes live after it.
    for (;;) {
      const message = await hopper.next();
      if (message.action === 'resume') break;
      assert.notEqual(message.event, 'resync_required', 'the window holds everything missed');
      heard.push(message);
    }
  }
  await writing;
  // A new child is three events for the pool's subscribers (new_child, modified, changed_descendants), a change of it one.
  const total = rounds * writesPerRound;
  const expected = Math.ceil(total / 2) * 3 + Math.floor(total / 2);
  await waitFor(() => witness.pending().length >= expected, 'the witness to hear of every write');
  await waitFor(() => heard.length + hopper.pending().filter(isEvent).length >= expected, 'the hopper to hear of every write');
  heard.push(...hopper.pending().filter(isEvent));
  assert.deepEqual(heard.map(describe_), witness.pending().map(describe_));
}

describe('live/resume race', function () {
  this.timeout(120_000);

  it(`loses and repeats nothing over ${rounds} drops and resumes during writes, in memory`, async () => {
    const live = await startLiveApp();
    try {
      await runRace(live, () => live);
    } finally {
      await live.close();
    }
  });

  it(`loses and repeats nothing over ${rounds} drops and resumes during writes, on LevelDB`, async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'resume-race-'));
    const live = await startLiveApp({ directory });
    try {
      await runRace(live, () => live);
    } finally {
      await live.close();
      await rm(directory, { recursive: true, force: true });
    }
  });

  it(`loses and repeats nothing over ${rounds} drops and resumes during writes, hopping between two processes over pouchdb-server`, async () => {
    const couch: CouchServer = await startCouchServer();
    const couchDatabase = `race-${randomUUID()}`;
    const a = await startLiveApp({ couchUrl: couch.url, couchDatabase });
    const b = await startLiveApp({ couchUrl: couch.url, couchDatabase });
    try {
      let hops = 0;
      await runRace(a, () => (hops++ % 2 === 0 ? b : a));
    } finally {
      await a.close();
      await b.close();
      await couch.stop();
    }
  });
});
