// The one source of the current time, injected so that tests can move it.
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to. */
export function createManualClock(start = Date.UTC(2026, 0, 1)): Clock & { advance(milliseconds: number): void } {
  let current = start;
  return {
    now: () => current,
    advance(milliseconds) {
      current += milliseconds;
    },
  };
}
