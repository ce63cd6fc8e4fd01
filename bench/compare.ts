// Measuring a comparison round by round, and turning the medians into the table's rows with their targets.
import type { Config } from '../src/config.ts';
import { checkSpec, runRound, runTimedRound, settleAfter, startLoad, summarize, type LoadSpec, type Measurement, type Round } from './load.ts';
import type { Row } from './report.ts';
import type { RssResult } from './rss.ts';
import type { Comparison } from './scenarios.ts';
import type { Settings } from './settings.ts';

const formatMebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Baseline and measured alternate round by round, so that a noisy minute on the machine hits both alike. */
export async function measurePair(
  comparison: Comparison,
  settings: Settings,
): Promise<{ measured: Measurement; baseline: Measurement; alongside?: Measurement }> {
  await comparison.prepare?.();
  const { measured, baseline, alongside } = comparison;
  for (const spec of [measured, baseline]) {
    if (!spec.vary) await checkSpec(spec);
  }
  const backgroundRounds: Round[] = [];
  const { countedRounds } = comparison;
  const runSettled = async (spec: LoadSpec, seconds: number): Promise<Round> => {
    const round = countedRounds ? await runRound(spec, { amount: countedRounds.requests }) : await runTimedRound(spec, seconds);
    await settleAfter(round);
    return round;
  };
  const runMeasured = async (seconds: number): Promise<Round> => {
    if (!alongside) return runSettled(measured, seconds);
    // The background load starts first and outlasts the round, so the round sees it from start to end.
    const background = startLoad(alongside, { seconds: seconds + 30 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const round = await runSettled(measured, seconds);
    background.stop();
    const backgroundRound = await background.done;
    backgroundRounds.push(backgroundRound);
    await settleAfter(backgroundRound);
    return round;
  };
  // Counted rounds are of slow requests, for which checkSpec's one request was warm-up enough; --quick
  // does without warm-up altogether.
  if (!countedRounds && settings.warmupSeconds > 0) {
    await runSettled(baseline, settings.warmupSeconds);
    await runMeasured(settings.warmupSeconds);
    backgroundRounds.length = 0;
  }
  const baselineRounds: Round[] = [];
  const measuredRounds: Round[] = [];
  for (let round = 1; round <= (countedRounds?.rounds ?? settings.rounds); round += 1) {
    baselineRounds.push(await runSettled(baseline, settings.secondsPerRound));
    measuredRounds.push(await runMeasured(settings.secondsPerRound));
  }
  return {
    measured: summarize(measured.label, measuredRounds),
    baseline: summarize(baseline.label, baselineRounds),
    ...(alongside ? { alongside: summarize(alongside.label, backgroundRounds) } : {}),
  };
}

export function compare(comparison: Comparison, measured: Measurement, baseline: Measurement): Row {
  const ratio = comparison.ratioKind === 'throughput' ? measured.reqPerSec / baseline.reqPerSec : measured.p50Ms / baseline.p50Ms;
  const { target } = comparison;
  const answered = measured.expected > 0 && baseline.expected > 0;
  const suffix = comparison.ratioKind === 'latency' ? '× the time' : '';
  const row: Row = {
    id: comparison.id,
    figure: comparison.figure,
    measured,
    baselineLabel: baseline.label,
    baseline,
    ratio,
    ratioText: answered ? `${ratio.toFixed(2)}${suffix}` : 'no answers',
    targetText: target ? `${target.comparison === '>=' ? '≥' : '≤'} ${target.value.toFixed(2)}${suffix}` : (comparison.note ?? ''),
  };
  if (target) row.met = answered && (target.comparison === '>=' ? ratio >= target.value : ratio <= target.value);
  return row;
}

/** The bound assumes at most 1 KiB per cached session: the record, its key and the cache's own overhead. */
export function describeRss(rss: RssResult, defaults: Config): Row {
  const bound = defaults.sessions.cacheSize * 1024;
  const growth = rss.afterBytes - rss.beforeBytes;
  return {
    id: 'rss-bogus-tokens',
    figure: `RSS after ${rss.requests.toLocaleString('en')} distinct bogus tokens`,
    measured: rss.load,
    baselineLabel: `RSS before: ${formatMebibytes(rss.beforeBytes)}`,
    ratioText: `${formatMebibytes(rss.afterBytes)} (half-way ${formatMebibytes(rss.halfwayBytes)}), ${growth >= 0 ? '+' : ''}${formatMebibytes(growth)}`,
    targetText: `growth ≤ ${formatMebibytes(bound)} (TOKEN_CACHE_SIZE ${defaults.sessions.cacheSize.toLocaleString('en')} × 1 KiB)`,
    met: growth <= bound,
  };
}

/** Where a measurement counted answers other than the expected status, the table alone would mislead. */
export function describeUnexpected(rows: readonly Row[]): string[] {
  return rows.flatMap((row) =>
    [row.measured, row.baseline].flatMap((measurement) =>
      measurement && measurement.unexpected > 0
        ? [
            `${measurement.label}: ${measurement.unexpected.toLocaleString('en')} of ${(measurement.unexpected + measurement.expected).toLocaleString('en')} requests had another answer (not counted in req/s): ${JSON.stringify(measurement.statuses)}`,
          ]
        : [],
    ),
  );
}
