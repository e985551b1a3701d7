/**
 * The UI's updates in batches, a few times a second: every change to the page
 * costs a rendering of all of it (style, layout, paint, compositing of the
 * whole wall), so 32 cameras' events and frame swaps applied one by one cost
 * dozens of renderings a second where five do. Tasks run in order, together,
 * at most BATCH_MS after they were queued.
 */
export const BATCH_MS = 200;

let pending: (() => void)[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;

export function inNextBatch(task: () => void): void {
  pending.push(task);
  timer ??= setTimeout(flushBatch, BATCH_MS);
}

/** Runs the queued tasks now, in order (the timer's job; tests call it to skip the wait). */
export function flushBatch(): void {
  clearTimeout(timer);
  timer = undefined;
  const tasks = pending;
  pending = [];
  for (const run of tasks) run();
}
