import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser } from 'playwright-core';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
export const CHROMIUM = process.env.TIMELAPSER_CHROMIUM ?? '/usr/bin/chromium';

/** Fails loudly, never skips: CI installs Debian's chromium (.ci/run), so must a developer. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: the end-to-end tests need it. ` +
        'Install it with "sudo apt-get install chromium" (CI\'s .ci/run does), or point TIMELAPSER_CHROMIUM at a Chromium binary.',
    );
  }
}

/** The tests drive the built app, as users get it: it must exist and be newer than its sources. */
export function requireBuild(): void {
  for (const file of ['out/main/cli.js', 'out/renderer/index.html']) {
    if (!existsSync(join(REPO_ROOT, file))) {
      throw new Error(`${file} is missing: run "npm run build" (npm test builds first) before the end-to-end tests.`);
    }
  }
  const built = statSync(join(REPO_ROOT, 'out/renderer/index.html')).mtimeMs;
  const newest = Math.max(...['src/renderer', 'src/shared'].map((dir) => newestMtime(join(REPO_ROOT, dir))));
  if (newest > built) throw new Error('out/renderer is older than src/renderer or src/shared: run "npm run build" first.');
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export async function launchChromium(): Promise<Browser> {
  requireChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Served {
  url: string;
  process: ChildProcess;
  /** Everything the server wrote to stderr, for failure messages. */
  stderr(): string;
  stop(): Promise<void>;
}

/** `timelapser --data DIR serve --port 0 --json`, as a user would start it; resolves once it listens. */
export async function startServe(dataRoot: string, port = 0): Promise<Served> {
  requireBuild();
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/timelapser.js'), '--data', dataRoot, 'serve', '--port', String(port), '--json'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 30 s\n${errors}`)), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}\n${errors}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { success?: boolean; data?: { url?: string } };
        if (parsed.data?.url) {
          clearTimeout(timer);
          resolveUrl(parsed.data.url);
        }
      } catch {
        // not the JSON line
      }
    });
  });
  return {
    url,
    process: child,
    stderr: () => errors,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

export async function artifactPath(name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
