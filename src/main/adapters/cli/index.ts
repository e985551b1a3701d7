import { createApi } from '../../api';
import { openCore, type Core } from '../../core';
import { resolveDataRoot } from '../../files/default-data-root';
import { createStderrLogger, logLevel } from '../../logging/logger';
import { commandUsage, groupUsage, parseCommandLine, usage, type Invocation } from './args';
import { COMMANDS } from './commands';
import type { CliContext } from './context';
import { EXIT, printError, type Output } from './output';

/**
 * `timelapser [--data DIR] <command> [--json]` under plain Node: the same
 * contract operations HTTP and IPC run, on the same data root the app uses
 * (SQLite WAL and the queue's leases make the two processes safe together).
 * The log goes to stderr: warnings, or the command's own level (`serve`:
 * info); TIMELAPSER_LOG_LEVEL overrides both, and stdout keeps only the output.
 */
async function main(argv: readonly string[]): Promise<number> {
  const log = createStderrLogger(logLevel('warn'));
  const out: Output = {
    json: argv.includes('--json'),
    stdout: process.stdout,
    stderr: process.stderr,
    log,
  };
  let invocation: Invocation;
  try {
    invocation = parseCommandLine(argv, COMMANDS);
  } catch (error) {
    return printError(out, error, { commands: COMMANDS });
  }
  const { command, group } = invocation;
  if (invocation.help || !command) {
    const text = command
      ? commandUsage(command)
      : group
        ? groupUsage(group, COMMANDS)
        : usage(COMMANDS);
    process.stdout.write(`${text}\n`);
    return EXIT.ok;
  }
  if (command.logLevel) log.level = logLevel(command.logLevel);

  const aborter = new AbortController();
  const onSignal = () => {
    if (aborter.signal.aborted) process.exit(130); // a second Ctrl+C: stop now
    aborter.abort();
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);

  let core: Core | undefined;
  try {
    core = await openCore({
      dataRoot: resolveDataRoot(invocation.options.data as string | undefined),
      logger: log,
    });
    const ctx: CliContext = {
      host: core,
      api: createApi(core),
      out,
      invocation,
      signal: aborter.signal,
      progressStream: process.stderr,
    };
    await command.run(ctx);
    return EXIT.ok;
  } catch (error) {
    return printError(out, error, { commands: COMMANDS, command });
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await core?.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
