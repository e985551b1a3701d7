import type { Api } from '../api';
import type { Core } from '../core';
import type { Invocation } from './args';
import type { Output } from './output';

/** What every command runs with. */
export interface CliContext {
  core: Core;
  api: Api;
  out: Output;
  invocation: Invocation;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** Where progress bars go (a TTY only). */
  progressStream: NodeJS.WriteStream;
}
