import cliProgress from 'cli-progress';
import { formatDuration, n } from '../../../shared/reports';

export interface Progress {
  /** `etaSeconds`: the core's own estimate when it has one; else one is made from the pace so far. */
  update(done: number, total: number | null, etaSeconds?: number | null): void;
  stop(): void;
}

/**
 * A progress bar on an interactive terminal; nothing otherwise (pipes, --json,
 * tests). With a known total: bar, percentage, count and ETA in the reports'
 * words; with none yet (a scan of the tree): a running count. Nothing is drawn
 * for an operation with nothing to do.
 */
export function createProgress(
  label: string,
  stream: NodeJS.WriteStream,
  enabled: boolean,
): Progress {
  if (!enabled || !stream.isTTY) return { update() {}, stop() {} };
  let bar: cliProgress.SingleBar | null = null;
  let counting = false;
  const startedAt = performance.now();
  const start = (total: number | null, done: number) => {
    counting = total === null;
    bar = new cliProgress.SingleBar(
      {
        format: counting
          ? `${label} {count} processed`
          : `${label} [{bar}] {percentage}% | {count}/{all}{left}`,
        stream,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(Math.max(total ?? done, done, 1), done, payload(done, total, null));
  };
  const payload = (done: number, total: number | null, etaSeconds: number | null | undefined) => ({
    count: n(done),
    all: total === null ? '?' : n(total),
    left: eta(done, total, etaSeconds),
  });
  const eta = (done: number, total: number | null, given: number | null | undefined) => {
    if (total === null || done >= total) return '';
    const elapsed = (performance.now() - startedAt) / 1000;
    const seconds = given ?? (done > 0 && elapsed >= 1 ? ((total - done) * elapsed) / done : null);
    return seconds === null ? '' : ` | about ${formatDuration(seconds)} left`;
  };
  return {
    update(done, total, etaSeconds) {
      if (!bar) {
        if (total === 0) return;
        start(total, done);
      } else if (counting && total !== null) {
        bar.stop();
        start(total, done);
      }
      if (total !== null) bar!.setTotal(Math.max(total, done, 1));
      bar!.update(done, payload(done, total, etaSeconds));
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
