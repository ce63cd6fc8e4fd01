// One client's sequences of writes: a batch of 20 creations against 20 single POSTs (on LevelDB and over CouchDB), and a new version of a 20-paragraph document against a plain PUT.
import { admin, makeChildBody, repoRoot, sheet, startBackend } from './backend.ts';
import { callJson, expectOk, readField } from './http.ts';
import { computeMedian, summarize, type Measurement, type Round } from './load.ts';
import { startPeer } from './peer.ts';
import { findFreePort, makeScratchDir, type Server } from './processes.ts';
import type { Row } from './report.ts';
import type { Settings } from './settings.ts';

export const sequenceRowIds = ['batch-20', 'batch-20-couchdb', 'version-20'] as const;
type SequenceRowId = (typeof sequenceRowIds)[number];

const batchSize = 20;
const paragraphs = 20;
const documentType = 'adhocracy_core.resources.document.IDocument';
const documentVersionType = 'adhocracy_core.resources.document.IDocumentVersion';
const paragraphType = 'adhocracy_core.resources.paragraph.IParagraph';
const paragraphVersionType = 'adhocracy_core.resources.paragraph.IParagraphVersion';
const documentSheet = 'adhocracy_core.sheets.document.IDocument';
const paragraphSheet = 'adhocracy_core.sheets.document.IParagraph';
const versionableSheet = 'adhocracy_core.sheets.versions.IVersionable';

/** One request of a sequence: its answer must be 200, or the run stops saying which request failed. */
async function send(method: 'POST' | 'PUT', url: string, token: string, body: unknown): Promise<{ ms: number; body: Record<string, unknown> }> {
  const started = performance.now();
  const answer = await callJson(method, url, { body, headers: { 'X-User-Token': token } });
  const ms = performance.now() - started;
  if (answer.status !== 200) throw new Error(`${method} ${url} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  return { ms, body: answer.body as Record<string, unknown> };
}

/** A round of `count` things done one after another; its rate counts `unitsEach` per thing (resources per batch). */
async function runSequentialRound(count: number, unitsEach: number, step: () => Promise<number>): Promise<Round> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let index = 0; index < count; index += 1) latencies.push(await step());
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] as number;
  return {
    reqPerSec: (count * unitsEach) / seconds,
    p50Ms: Math.round(computeMedian(latencies) * 10) / 10,
    p99Ms: Math.round(p99 * 10) / 10,
    expected: count,
    unexpected: 0,
    seconds,
    statuses: { 200: count },
  };
}

/** Baseline and measured alternate round by round, as in compare.ts, so that a noisy moment hits both. */
async function alternate(
  rounds: number,
  baseline: { label: string; round: () => Promise<Round> },
  measured: { label: string; round: () => Promise<Round> },
): Promise<{ baseline: Measurement; measured: Measurement }> {
  // One round of each first, unrecorded: neither side is measured cold.
  await baseline.round();
  await measured.round();
  const baselineRounds: Round[] = [];
  const measuredRounds: Round[] = [];
  for (let round = 0; round < rounds; round += 1) {
    baselineRounds.push(await baseline.round());
    measuredRounds.push(await measured.round());
  }
  return { baseline: summarize(baseline.label, baselineRounds), measured: summarize(measured.label, measuredRounds) };
}

function describeRow(
  id: SequenceRowId,
  figure: string,
  pair: { baseline: Measurement; measured: Measurement },
  ratio: number,
  target: { comparison: '>=' | '<='; value: number },
  suffix = '',
): Row {
  return {
    id,
    figure,
    measured: pair.measured,
    baselineLabel: pair.baseline.label,
    baseline: pair.baseline,
    ratio,
    ratioText: `${ratio.toFixed(2)}${suffix}`,
    targetText: `${target.comparison === '>=' ? '≥' : '≤'} ${target.value.toFixed(2)}${suffix}`,
    met: target.comparison === '>=' ? ratio >= target.value : ratio <= target.value,
  };
}

const childBody = (name: string): unknown => JSON.parse(makeChildBody(name));

/**
 * Resources per second one client creates: batches of 20 creations against the same creations as
 * single POSTs one after another, as a frontend sends them. Both wait for each answer, so the figure
 * includes what each request costs besides its resource (HTTP, authentication, a commit), which a batch pays once.
 */
async function measureBatch(id: SequenceRowId, backend: Server, store: string, settings: Settings): Promise<Row> {
  const token = await logInAdmin(backend.url);
  const pool = await createPool(backend.url, token, `batch-${id}`);
  const batches = settings.quick ? 3 : 10;
  let next = 0;
  const newName = () => `c${(next += 1)}`;
  const pair = await alternate(
    settings.rounds,
    {
      label: `${batchSize} single POSTs, one after another`,
      round: () => runSequentialRound(batches * batchSize, 1, async () => (await send('POST', `${backend.url}${pool}`, token, childBody(newName()))).ms),
    },
    {
      label: `POST /batch of ${batchSize} creations`,
      round: () =>
        runSequentialRound(batches, batchSize, async () => {
          const subrequests = Array.from({ length: batchSize }, () => ({ method: 'POST', path: `${backend.url}${pool}`, body: childBody(newName()) }));
          return (await send('POST', `${backend.url}/batch`, token, subrequests)).ms;
        }),
    },
  );
  const ratio = pair.measured.reqPerSec / pair.baseline.reqPerSec;
  return describeRow(id, `batch of ${batchSize} creations, resources/s, ${store}`, pair, ratio, { comparison: '>=', value: 5 });
}

async function createPool(url: string, token: string, name: string): Promise<string> {
  return new URL(String((await send('POST', `${url}/`, token, childBody(name))).body.path)).pathname;
}

async function logInAdmin(url: string): Promise<string> {
  return readField(await expectOk('POST', `${url}/login_username`, { body: { name: admin.name, password: admin.password } }), 'user_token');
}

/**
 * A document of 20 paragraphs, each edited in turn: a new paragraph version with the newest document
 * version as its root, so that the document gets a new version holding all 20 (Adhocracy's auto-update,
 * docs/versions.md), against a plain PUT of a title. Latency of one request at a time, median against median.
 */
async function measureVersion(backend: Server, settings: Settings): Promise<Row> {
  const { url } = backend;
  const token = await logInAdmin(url);
  const putPath = await createPool(url, token, 'version-put');
  const folder = await createPool(url, token, 'versioned');
  const documentAnswer = (await send('POST', `${url}${folder}`, token, { content_type: documentType, data: {} })).body;
  const documentPath = new URL(String(documentAnswer.path)).pathname;
  // The newest version of each paragraph, by paragraph; and the newest document version.
  const heads: string[] = [];
  const items: string[] = [];
  for (let index = 0; index < paragraphs; index += 1) {
    const item = (await send('POST', `${url}${documentPath}`, token, { content_type: paragraphType, data: {} })).body;
    items.push(new URL(String(item.path)).pathname);
    const first = String(item.first_version_path);
    const version = (
      await send('POST', String(item.path), token, {
        content_type: paragraphVersionType,
        data: { [versionableSheet]: { follows: [first] }, [paragraphSheet]: { text: `paragraph ${index}` } },
      })
    ).body;
    heads.push(String(version.path));
  }
  let documentHead = String(documentAnswer.first_version_path);
  documentHead = String(
    (
      await send('POST', `${url}${documentPath}`, token, {
        content_type: documentVersionType,
        data: { [versionableSheet]: { follows: [documentHead] }, [documentSheet]: { elements: heads } },
      })
    ).body.path,
  );
  const edits = settings.quick ? 20 : 60;
  let turn = 0;
  const editParagraph = async (): Promise<number> => {
    const index = turn % paragraphs;
    turn += 1;
    const answer = await send('POST', `${url}${items[index]}`, token, {
      content_type: paragraphVersionType,
      data: { [versionableSheet]: { follows: [heads[index]] }, [paragraphSheet]: { text: `edit ${turn}` } },
      root_versions: [documentHead],
    });
    heads[index] = String(answer.body.path);
    const updated = answer.body.updated_resources as { created: string[] };
    const newDocumentVersion = updated.created.find((path) => path.startsWith(`${url}${documentPath}VERSION_`));
    if (!newDocumentVersion) throw new Error(`editing paragraph ${index} made no new document version: ${JSON.stringify(updated)}`);
    documentHead = newDocumentVersion;
    return answer.ms;
  };
  const putTitle = async (): Promise<number> => (await send('PUT', `${url}${putPath}`, token, { data: { [sheet.title]: { title: `t${turn++}` } } })).ms;
  const pair = await alternate(
    settings.rounds,
    { label: 'PUT ITitle of a pool, one at a time', round: () => runSequentialRound(edits, 1, putTitle) },
    { label: `new paragraph version, root_versions: a document of ${paragraphs}`, round: () => runSequentialRound(edits, 1, editParagraph) },
  );
  const ratio = pair.measured.p50Ms / pair.baseline.p50Ms;
  return describeRow('version-20', `new version of a ${paragraphs}-paragraph document (auto-update), time`, pair, ratio, { comparison: '<=', value: 3 }, '× the time');
}

export async function measureSequences(settings: Settings, backend: Server, ids: readonly SequenceRowId[], say: (text: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  if (ids.includes('batch-20')) {
    say(`batch of ${batchSize} against single POSTs, LevelDB…`);
    rows.push(await measureBatch('batch-20', backend, 'LevelDB', settings));
  }
  if (ids.includes('batch-20-couchdb')) {
    say(`batch of ${batchSize} against single POSTs, over pouchdb-server…`);
    const couch = await startPeer(repoRoot, await findFreePort(), makeScratchDir('sequences-couch'));
    const overCouch = await startBackend({
      name: 'backend (CouchDB)',
      root: settings.backendRoot,
      port: await findFreePort(),
      dataDir: makeScratchDir('backend-couch'),
      hashConcurrency: 1,
      env: { DATABASE_URL: `${couch.url}/sequences` },
    });
    try {
      rows.push(await measureBatch('batch-20-couchdb', overCouch, 'CouchDB (pouchdb-server)', settings));
    } finally {
      await overCouch.stop();
      await couch.stop();
    }
  }
  if (ids.includes('version-20')) {
    say(`new versions of a ${paragraphs}-paragraph document against PUT…`);
    rows.push(await measureVersion(backend, settings));
  }
  for (const row of rows) say(`  ${row.figure}: ${row.ratioText} (${row.targetText})`);
  return rows;
}
