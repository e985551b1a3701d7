import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number | null): void;
  stop(): void;
}

/** A progress bar on an interactive terminal; nothing otherwise (pipes, --json, tests). */
export function createProgress(
  label: string,
  stream: NodeJS.WriteStream,
  enabled: boolean,
): Progress {
  if (!enabled || !stream.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
      stream,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total ?? done, done);
        started = true;
      }
      if (total !== null) bar.setTotal(Math.max(total, done));
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
