import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
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

export interface Build {
  /** The build's folder: main/cli.js (the `timelapser` command), renderer/ (the web UI). */
  dir: string;
  remove(): void;
}

/**
 * Builds the app as `npm run build` does, into a private folder: the tests run
 * the built CLI and web UI, made from the same sources that seed the library
 * (so the schema versions agree even while the tree is being edited).
 */
export async function buildApp(): Promise<Build> {
  const dir = join(REPO_ROOT, '.cache', `e2e-build-${process.pid}`);
  const bin = join(REPO_ROOT, 'node_modules', '.bin', 'electron-vite');
  // An absolute outDir: a relative one would land inside the renderer's own root.
  const result = spawnSync(bin, ['build', '--outDir', dir, '--logLevel', 'error'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
  if (result.status !== 0) throw new Error(`electron-vite build failed:\n${result.stdout}\n${result.stderr}`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
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

/** `timelapser --data DIR serve --port P --json` from the build, as a user would start it; resolves once it listens. */
export async function startServe(build: Build, dataRoot: string, port = 0): Promise<Served> {
  const child = spawn(process.execPath, [join(build.dir, 'main', 'cli.js'), '--data', dataRoot, 'serve', '--port', String(port), '--json'], {
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
