import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * strace as a fault injector: a child process is traced (`-f`: every thread)
 * and killed with SIGKILL at the Nth call of one system call
 * (`-e inject=NAME:signal=KILL:when=N`). strace counts per system call and per
 * thread, so the kill lands at the first thread to make its Nth such call.
 */

/** The system calls that change the disk: data, metadata, names. `?` skips ones this architecture lacks. */
export const WRITE_CALLS = [
  'write',
  'pwrite64',
  'pwritev',
  'fsync',
  'fdatasync',
  'ftruncate',
  'utimensat',
  'link',
  'linkat',
  'unlink',
  'unlinkat',
  'rename',
  'renameat',
  'renameat2',
  'mkdir',
  'mkdirat',
] as const;

export interface TracedCall {
  /** Line in the trace: the order the calls were made in. */
  line: number;
  tid: number;
  name: string;
  args: string;
  /** This call is the `ordinal`-th call of `name` by thread `tid` (what `when=` counts). */
  ordinal: number;
}

/** Why strace cannot trace here, or null. */
export function straceUnavailable(): string | null {
  try {
    execFileSync('strace', ['-f', '-qq', '-e', 'trace=none', 'true'], { stdio: 'pipe' });
    return null;
  } catch (error) {
    const { code, stderr } = error as { code?: string; stderr?: Buffer };
    return code === 'ENOENT'
      ? 'strace is not installed'
      : `strace cannot trace: ${String(stderr).trim()}`;
  }
}

export interface StraceRun {
  code: number | null;
  signal: string | null;
  /** The traced process was killed by the injection. */
  killed: boolean;
  /** The call the kill landed on (its trace line), when killed. */
  landed: string | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` under strace, writing the trace of WRITE_CALLS (with fd paths) to `traceFile`. */
export function strace(
  command: readonly string[],
  traceFile: string,
  options: { inject?: { name: string; when: number }; env?: NodeJS.ProcessEnv } = {},
): Promise<StraceRun> {
  const args = [
    '-f',
    '-qq',
    '-y',
    '-o',
    traceFile,
    '-e',
    `trace=${WRITE_CALLS.map((c) => `?${c}`).join(',')}`,
  ];
  if (options.inject)
    args.push('-e', `inject=${options.inject.name}:signal=KILL:when=${options.inject.when}`);
  return new Promise((resolve, reject) => {
    const child = spawn('strace', [...args, ...command], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const trace = readFileSync(traceFile, 'utf8');
      const killed = /\+\+\+ killed by SIGKILL \+\+\+/.test(trace);
      const landed = killed && options.inject ? interruptedCall(trace, options.inject.name) : null;
      resolve({ code, signal, killed, landed, stdout, stderr });
    });
  });
}

/**
 * The call the kill interrupted: a call of that name that never returned
 * (strace writes `= ?`, or leaves it `<unfinished ...>` when another thread
 * wrote in between and it was never resumed).
 */
function interruptedCall(trace: string, name: string): string | null {
  const open = new Map<string, string>();
  for (const text of trace.split('\n')) {
    const entry = /^(\d+)\s+(\w+)\(/.exec(text);
    const resumed = /^(\d+)\s+<\.\.\. (\w+) resumed>/.exec(text);
    if (entry?.[2] === name && (text.endsWith('= ?') || text.endsWith('<unfinished ...>')))
      open.set(entry[1]!, text);
    else if (resumed?.[2] === name && !text.endsWith('= ?')) open.delete(resumed[1]!);
  }
  return [...open.values()].at(-1) ?? null;
}

/** The calls of a trace in order, each with its per-thread ordinal. */
export function parseTrace(traceFile: string): TracedCall[] {
  const counts = new Map<string, number>();
  const calls: TracedCall[] = [];
  readFileSync(traceFile, 'utf8')
    .split('\n')
    .forEach((text, line) => {
      const match = /^(\d+)\s+(\w+)\((.*)$/.exec(text);
      if (!match) return; // "<... resumed>", "+++ exited", signals
      const [, tid, name, args] = match as unknown as [string, string, string, string];
      const key = `${tid} ${name}`;
      const ordinal = (counts.get(key) ?? 0) + 1;
      counts.set(key, ordinal);
      calls.push({ line, tid: Number(tid), name, args, ordinal });
    });
  return calls;
}

/**
 * Whether `when=call.ordinal` on `call.name` kills at this very call: no other
 * thread made its own call of that number earlier in the trace.
 */
export function killsHere(calls: readonly TracedCall[], call: TracedCall): boolean {
  return !calls.some(
    (other) =>
      other.name === call.name &&
      other.ordinal === call.ordinal &&
      other.tid !== call.tid &&
      other.line < call.line,
  );
}
