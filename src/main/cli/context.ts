import type { Api, ApiCore } from '../api';
import type { Invocation } from './args';
import type { Output } from './output';

/** What every command runs with. */
export interface CliContext {
  core: ApiCore;
  api: Api;
  out: Output;
  invocation: Invocation;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** Where progress bars go (a TTY only). */
  progressStream: NodeJS.WriteStream;
}
