import type { Api } from '../../api';
import type { Host } from '../../api/host';
import type { Invocation } from './args';
import type { Output } from './output';

/** What every command runs with. */
export interface CliContext {
  host: Host;
  api: Api;
  out: Output;
  invocation: Invocation;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** Where progress bars go (a TTY only). */
  progressStream: NodeJS.WriteStream;
}
