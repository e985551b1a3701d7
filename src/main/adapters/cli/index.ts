import { createApi } from '../../api';
import { openCore, type Core } from '../../core';
import { resolveDataRoot } from '../../files/default-data-root';
import { createStderrLogger, logLevel } from '../../logging/logger';
import { parseCommandLine, USAGE, type Invocation } from './args';
import type { CliContext } from './context';
import { runImport } from './commands/import';
import { runJobs } from './commands/jobs';
import { runServe } from './commands/serve';
import { isSimpleCommand, runRegenerate, runSimple } from './commands/thumbnails';
import { EXIT, printError, type Output } from './output';

/**
 * `timelapser [--data DIR] <command> [--json]` under plain Node: the same
 * contract operations HTTP and IPC run, on the same data root the app uses
 * (SQLite WAL and the queue's leases make the two processes safe together).
 * The log goes to stderr: warnings for one-shot commands, info for `serve`
 * (TIMELAPSER_LOG_LEVEL overrides both), so stdout keeps only the output.
 */
async function main(argv: readonly string[]): Promise<number> {
  const log = createStderrLogger(logLevel('warn'));
  const out: Output = { json: argv.includes('--json'), stdout: process.stdout, stderr: process.stderr, log };
  let invocation: Invocation;
  try {
    invocation = parseCommandLine(argv);
  } catch (error) {
    return printError(out, error);
  }
  if (invocation.command === 'serve') log.level = logLevel('info');
  if (invocation.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }

  const aborter = new AbortController();
  const onSignal = () => {
    if (aborter.signal.aborted) process.exit(130); // a second Ctrl+C: stop now
    aborter.abort();
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);

  let core: Core | undefined;
  try {
    core = await openCore({ dataRoot: resolveDataRoot(invocation.options.data), logger: log });
    const ctx: CliContext = {
      host: core,
      api: createApi(core),
      out,
      invocation,
      signal: aborter.signal,
      progressStream: process.stderr,
    };
    await run(ctx);
    return EXIT.ok;
  } catch (error) {
    return printError(out, error);
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await core?.close();
  }
}

function run(ctx: CliContext): Promise<void> {
  const { command } = ctx.invocation;
  if (isSimpleCommand(command)) return runSimple(ctx);
  if (command === 'thumbnails regenerate') return runRegenerate(ctx);
  if (command === 'jobs run') return runJobs(ctx);
  if (command === 'serve') return runServe(ctx);
  return runImport(ctx);
}

process.exitCode = await main(process.argv.slice(2));
