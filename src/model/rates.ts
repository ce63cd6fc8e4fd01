// Adhocracy's `rates` index, worked out when a query asks for it: the sum of the newest rate of each rater about a version.
import type { Registry } from '../registry.ts';
import type { ResourceRecord, ScanBudget, Storage } from '../storage/storage.ts';
import { parentPath } from '../tree/path.ts';

const rateSheet = 'adhocracy_core.sheets.rate.IRate';
const rateableSheet = 'adhocracy_core.sheets.rate.IRateable';
const objectKey = `${rateSheet}:object`;

/**
 * The rates of rateable resources: for each, the sum of the LAST version of every rate whose `object`
 * is it, leaving out rates that are hidden (or whose rate item is); null for what is not rateable.
 * Computed from the references to each resource rather than kept on it, so that a burst of rates about
 * one version never contends on that version's document. Every rate version read is charged to `budget`.
 */
export async function sumRates(records: readonly ResourceRecord[], deps: { storage: Storage; registry: Registry; budget?: ScanBudget }): Promise<Map<string, number | null>> {
  const { storage, registry, budget } = deps;
  const sums = new Map<string, number | null>();
  for (const record of records) {
    if (!registry.hasSheet(record.contentType, rateableSheet)) {
      sums.set(record.path, null);
      continue;
    }
    const sources = (await storage.backreferences(record.path)).filter((reference) => reference.key === objectKey).map((reference) => reference.source);
    for (let index = 0; index < sources.length; index += 1) budget?.spend();
    // The rate versions and their items (a hidden item hides its versions), in one read.
    const read = await storage.readResources([...sources, ...sources.map((source) => parentPath(source) as string)]);
    const versions = read.slice(0, sources.length);
    const items = read.slice(sources.length);
    let sum = 0;
    versions.forEach((version, index) => {
      if (!version || version.hidden || items[index]?.hidden || !version.tags?.includes('LAST')) return;
      const rate = version.data[rateSheet]?.rate;
      if (typeof rate === 'number') sum += rate;
    });
    sums.set(record.path, sum);
  }
  return sums;
}
