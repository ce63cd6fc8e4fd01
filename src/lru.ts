// LRU caches bounded by their number of entries, whose memory grows as they fill rather than all at once when they are made.
import { LRUCache } from 'lru-cache';

/**
 * lru-cache's `max` allocates arrays for every entry the cache may ever hold when it is made: about
 * 10 ms and 2 MB for 100,000 entries, and an app makes several such caches as it starts. Each entry
 * counted as 1 against `maxSize` bounds the cache to the same number of entries, allocated as they come.
 */
export function createLruCache<K extends {}, V extends {}>(maxEntries: number): LRUCache<K, V> {
  return new LRUCache<K, V>({ maxSize: maxEntries, sizeCalculation: () => 1 });
}
