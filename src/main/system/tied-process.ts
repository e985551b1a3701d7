import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';

/** util-linux's setpriv: sets a parent-death signal, then runs the command in its place. */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find(
  (path) => process.platform === 'linux' && existsSync(path),
);

/** Exit code of setpriv (as of a shell) when the command it should run does not exist. */
export const COMMAND_NOT_FOUND_EXIT = 127;

/**
 * Spawns a long-running tool (ffmpeg encoding a video) that dies with this
 * process: a killed app or CLI must not leave an encoder running on, writing
 * a file nobody will publish. On Linux setpriv gives it a parent-death
 * SIGKILL; elsewhere it is a plain child, stopped by our own kill on abort.
 */
export function spawnTied(
  command: string,
  args: readonly string[],
): ChildProcessByStdio<null, Readable, Readable> {
  const [file, argv] = SETPRIV
    ? [SETPRIV, ['--pdeathsig', 'SIGKILL', '--', command, ...args]]
    : [command, [...args]];
  return spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
}
