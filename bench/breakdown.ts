/**
 * Where the engine's time goes, for bench:thumbnails: the per-step times each
 * frame reports (GenerationTimings), and CPU per thread from /proc (Linux),
 * grouped by what the thread does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { GenerationTimings } from '../src/main/imaging/thumbnail-engine';

/** The steps in the order a frame goes through them, with what each covers. */
const STEPS: [keyof GenerationTimings, string][] = [
  ['wait_ms', 'waiting at the engine gate'],
  ['inspect_ms', 'open, read the ends, parse the header'],
  ['decode_ms', 'read + decode at the load shrink + resize to raw'],
  ['small_encode_ms', 'encode the small'],
  ['thumbnail_encode_ms', 'resize + encode the thumbnail'],
  ['write_ms', 'write both temp files'],
  ['publish_ms', 'rename both into place'],
  ['handoff_ms', 'messages and thread wake-ups'],
];

export class StepTotals {
  #frames = 0;
  readonly #sums = new Map<keyof GenerationTimings, number>();

  add(timings: GenerationTimings): void {
    this.#frames++;
    for (const [step] of STEPS)
      this.#sums.set(step, (this.#sums.get(step) ?? 0) + (timings[step] ?? 0));
  }

  /** Mean ms per frame of each step. */
  means(): Record<string, number> {
    return Object.fromEntries(
      STEPS.map(([step]) => [step, (this.#sums.get(step) ?? 0) / this.#frames]),
    );
  }

  lines(): string[] {
    const means = this.means();
    return STEPS.map(
      ([step, what]) => `    ${step.padEnd(20)} ${means[step]!.toFixed(2).padStart(6)} ms  ${what}`,
    );
  }
}

/** CPU ms used so far by each thread of this process, keyed by thread id, with its role. */
function threadCpu(): Map<string, { role: string; ms: number }> {
  const threads = new Map<string, { role: string; ms: number }>();
  let tids: string[] = [];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return threads; // not Linux
  }
  const ticksMs = 10; // USER_HZ is 100 on Linux
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const role =
        Number(tid) === process.pid
          ? 'main thread (queue side: gate, messages)'
          : name.startsWith('libvips')
            ? 'libvips workers (decode, resize, encode)'
            : 'other Node threads (worker isolates, libuv threadpool)';
      threads.set(tid, { role, ms: (Number(fields[11]) + Number(fields[12])) * ticksMs });
    } catch {
      // the thread ended between listing and reading
    }
  }
  return threads;
}

/** Accumulates CPU per thread role over the measured parts of a run. */
export class ThreadCpu {
  readonly #byRole = new Map<string, number>();
  #frames = 0;

  async measure<T>(frames: number, work: () => Promise<T>): Promise<T> {
    const before = threadCpu();
    const result = await work();
    for (const [tid, { role, ms }] of threadCpu())
      this.#byRole.set(role, (this.#byRole.get(role) ?? 0) + ms - (before.get(tid)?.ms ?? 0));
    this.#frames += frames;
    return result;
  }

  lines(): string[] {
    return [...this.#byRole]
      .sort((a, b) => b[1] - a[1])
      .map(([role, ms]) => `    ${(ms / this.#frames).toFixed(2).padStart(6)} CPU ms  ${role}`);
  }
}
