// Waiting for something that happens asynchronously (a changes feed, a socket), with a bound that turns a hang into a clear failure.

/** Resolves once `isDone` holds; rejects naming `what` after `timeoutMs`. Never a test of speed. */
export async function waitFor(isDone: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!isDone()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what} in vain`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
