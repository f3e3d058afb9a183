/**
 * Long read-only computations on the main thread written as generators that yield after each unit of work: inside a
 * transaction they run to the end at once (runNow); outside one they run in slices of a few milliseconds with the
 * event loop free in between (runSliced), so answers and health checks are not held up by an import's planning.
 * Never slice work that writes: SQLite has one transaction per connection, and anything run between two slices
 * (the ask log written per answer) would end up inside it.
 */

/** Runs a plan to the end at once. */
export function runNow<T>(work: Generator<void, T>): T {
  for (;;) {
    const r = work.next();
    if (r.done) return r.value;
  }
}

/** Runs a plan in slices of about sliceMs, letting other callbacks run between them. */
export async function runSliced<T>(work: Generator<void, T>, sliceMs = 8): Promise<T> {
  let until = performance.now() + sliceMs;
  for (;;) {
    const r = work.next();
    if (r.done) return r.value;
    if (performance.now() >= until) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      until = performance.now() + sliceMs;
    }
  }
}
