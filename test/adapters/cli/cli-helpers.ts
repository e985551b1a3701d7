import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'timelapser.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `timelapser` binary as a child process (plain Node, no TTY). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, bin = BIN, timeoutMs = 120_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The one JSON line a `--json` command prints. */
export function jsonOf(run: CliRun): { success: boolean; data?: unknown; status_code?: number; error?: string } {
  const lines = run.stdout.trim().split('\n');
  if (lines.length !== 1) throw new Error(`expected one JSON line, got: ${run.stdout}\nstderr: ${run.stderr}`);
  return JSON.parse(lines[0]!);
}

export interface ServeProcess {
  child: ChildProcess;
  /** The first JSON line serve printed: url, host, port, token. */
  info: { url: string; host: string; port: number; token: string | null };
  /** Everything serve wrote to stderr so far (its log). */
  stderr(): string;
  stop(): Promise<number | null>;
}

/** Starts `timelapser serve … --json` and waits for its JSON line. */
export function startServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      const body = JSON.parse(stdout.slice(0, newline));
      if (!body.success) return reject(new Error(`serve failed: ${stdout} ${stderr}`));
      resolve({
        child,
        info: body.data,
        stderr: () => stderr,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stdout} ${stderr}`)));
  });
}
