// The one table the benchmark prints (Markdown, so it can go into README as it is) and bench/results.json.
import { writeFileSync } from 'node:fs';
import type { Measurement } from './load.ts';

export interface Row {
  id: string;
  figure: string;
  measured: Measurement;
  baselineLabel: string;
  baseline?: Measurement;
  ratio?: number;
  ratioText: string;
  targetText: string;
  /** Undefined where there is no target to meet. */
  met?: boolean;
}

const formatRate = (value: number) => (Number.isNaN(value) ? '—' : value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(1));
const formatMilliseconds = (value: number) => (Number.isNaN(value) ? '—' : value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(1));
const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

export function formatTable(rows: readonly Row[]): string {
  const header = ['figure', 'req/s', 'p50 ms', 'p99 ms', 'baseline', 'req/s', 'p50 ms', 'p99 ms', 'ratio', 'target', 'met'];
  const lines = rows.map((row) => [
    row.figure,
    formatRate(row.measured.reqPerSec),
    formatMilliseconds(row.measured.p50Ms),
    formatMilliseconds(row.measured.p99Ms),
    row.baselineLabel,
    row.baseline ? formatRate(row.baseline.reqPerSec) : '',
    row.baseline ? formatMilliseconds(row.baseline.p50Ms) : '',
    row.baseline ? formatMilliseconds(row.baseline.p99Ms) : '',
    row.ratioText,
    row.targetText,
    row.met === undefined ? '—' : row.met ? 'yes' : 'NO',
  ]);
  const table = [header, ...lines].map((cells) => cells.map(escapeCell));
  const widths = header.map((_, column) => Math.max(...table.map((cells) => (cells[column] as string).length)));
  const format = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] as number)).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [format(table[0] as string[]), rule, ...table.slice(1).map(format)].join('\n');
}

export function writeResults(file: string, results: Record<string, unknown>): void {
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
