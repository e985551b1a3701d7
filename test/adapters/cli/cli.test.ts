import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src/main/adapters/http/server';
import {
  cameraLikeJpeg,
  makeTempDir,
  openTestLibrary,
  type TestLibrary,
} from '../../helpers/temp-library';
import { seedLibrary } from '../../api/api-library';
import { callHttp, serve } from '../http/http-helpers';
import { BIN, jsonOf, runCli, startServe } from './cli-helpers';

const maskTimes = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (key, item) =>
      key === 'oldest_pending_age_seconds' ? '<clock>' : item,
    ).replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, '"<time>"'),
  );

describe('timelapser CLI: usage and exit codes', () => {
  const data = makeTempDir('timelapser-cli-usage-');
  afterEach(() => undefined);

  it('prints usage with --help (0) and refuses bad command lines (2)', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: timelapser \[--data DIR\] <command> \[--json\]/);
    for (const args of [
      [],
      ['bogus'],
      ['thumbnails'],
      ['thumbnails', 'stats', '--force'],
      ['jobs', 'run', '--yes'],
      ['import'],
      ['--nope'],
    ]) {
      const run = await runCli(['--data', data.path, ...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^timelapser: /);
    }
  });

  it("prints one command's usage with <command> --help, and with it when a required option is missing (2)", async () => {
    const help = await runCli(['thumbnails', 'cleanup', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /^Usage: timelapser \[--data DIR\] thumbnails cleanup \[--dry-run\] \[--force\] \[--json\]/,
    );
    expect(help.stdout).toContain('--dry-run');
    const missing = await runCli(['--data', data.path, 'import', data.path]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^timelapser: "import" needs --camera\n\nUsage: timelapser \[--data DIR\] import <folder> --camera NAME/,
    );
  });

  it('requires --yes for delete-all and a numeric --timelapse, answering the error body with --json', async () => {
    const noYes = await runCli(['--data', data.path, 'thumbnails', 'delete-all', '--json']);
    expect(noYes.code).toBe(2);
    expect(jsonOf(noYes)).toMatchObject({ success: false, status_code: 400 });
    const badId = await runCli([
      '--data',
      data.path,
      'thumbnails',
      'regenerate',
      '--timelapse',
      'abc',
    ]);
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain('--timelapse takes a timelapse id');
  });

  it('says to build when the built CLI is missing (2)', async () => {
    const dir = makeTempDir('timelapser-nobuild-');
    mkdirSync(join(dir.path, 'bin'));
    copyFileSync(BIN, join(dir.path, 'bin', 'timelapser.js'));
    const run = await runCli(['--help'], {}, join(dir.path, 'bin', 'timelapser.js'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('npm run build');
    dir.remove();
  });
});

describe('timelapser CLI on a library', () => {
  let library: TestLibrary;
  beforeEach(async () => {
    library = await openTestLibrary({ poolSize: 1 });
    await seedLibrary(library.core);
  });
  afterEach(() => library.cleanup());

  describe('--json prints exactly what the HTTP API returns', () => {
    let server: RunningServer;
    beforeEach(async () => {
      server = await serve(library);
    });
    afterEach(() => server.close());

    it.each([
      [['jobs', 'stats'], 'jobs.stats', {}],
      [['thumbnails', 'verify'], 'thumbnails.verifyAll', {}],
      [['thumbnails', 'repair'], 'thumbnails.repair', {}],
      [['thumbnails', 'cleanup', '--dry-run'], 'thumbnails.cleanup', { dry_run: true }],
    ] as const)('%j', async (args, operation, operationArgs) => {
      const overHttp = await callHttp(server, operation, operationArgs);
      const run = await runCli([...args, '--json'], { TIMELAPSER_DATA: library.root });
      expect(run.code, run.stderr).toBe(0);
      expect(maskTimes(jsonOf(run))).toEqual(maskTimes(overHttp.body));
    });
  });

  it('reads the data root from --data as well as TIMELAPSER_DATA', async () => {
    const run = await runCli(['--data', library.root, 'thumbnails', 'verify', '--json'], {
      TIMELAPSER_DATA: '/nonexistent/elsewhere',
      TIMELAPSER_LOG_LEVEL: '',
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe(''); // a one-shot command logs warnings only
    expect(jsonOf(run)).toMatchObject({
      success: true,
      data: { total_images: 3, valid_thumbnails: 1 },
    });
  });

  it('exits 1 with the error body when the operation fails', async () => {
    const run = await runCli([
      '--data',
      library.root,
      'thumbnails',
      'regenerate',
      '--timelapse',
      '999',
      '--json',
    ]);
    expect(run.code).toBe(1);
    expect(jsonOf(run)).toMatchObject({ success: false, status_code: 404 });
  });

  it('prints a readable summary without --json', async () => {
    const run = await runCli(['--data', library.root, 'thumbnails', 'verify']);
    expect(run.code, run.stderr).toBe(0);
    // The title, the result in the words the UI and the menu use, then every field.
    expect(run.stdout).toMatch(
      /^Verification\n1\/3 thumbnails valid, 2 missing files\n2\/3 smalls valid, 1 missing file\n/,
    );
    expect(run.stdout).toMatch(/valid thumbnails: 1/);
  });

  it('queues a whole regeneration before exiting without --wait', async () => {
    const run = await runCli([
      '--data',
      library.root,
      'thumbnails',
      'regenerate',
      '--force',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(jsonOf(run)).toMatchObject({
      success: true,
      data: { status: 'running', queueing: false, total: 3, pending: 3 },
    });
    expect(library.core.jobs.getJobStatistics().pending_jobs).toBe(3);
  });

  it('regenerates every thumbnail with --wait, in the child process', async () => {
    const run = await runCli([
      '--data',
      library.root,
      'thumbnails',
      'regenerate',
      '--force',
      '--wait',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(jsonOf(run)).toMatchObject({
      success: true,
      data: { status: 'completed', total: 3, completed: 3, failed: 0 },
    });
    for (const image of library.core.ops.images.listByTimelapse(1, 0, 10)) {
      expect(image.thumbnail_path).not.toBeNull();
      const meta = await sharp(library.core.tree.resolve(image.thumbnail_path!)).metadata();
      expect(meta).toMatchObject({ width: 200, height: 150 });
    }
  });

  it('works the queue with jobs run --until-empty, then deletes everything with delete-all --yes', async () => {
    for (const image of library.core.ops.images.listByTimelapse(1, 0, 10))
      library.core.jobs.queueJob(image.id, 'high', { force: true });
    const run = await runCli(['--data', library.root, 'jobs', 'run', '--until-empty', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('Processing ['); // no progress bar without a TTY
    expect(jsonOf(run)).toMatchObject({
      success: true,
      data: { pending_jobs: 0, completed_jobs_24h: 3 },
    });
    expect(library.core.ops.timelapses.getById(1)).toMatchObject({ thumbnail_count: 3 });

    const paths = library.core.ops.images
      .listByTimelapse(1, 0, 10)
      .map((image) => library.core.tree.resolve(image.thumbnail_path!));
    const deleted = await runCli([
      '--data',
      library.root,
      'thumbnails',
      'delete-all',
      '--yes',
      '--json',
    ]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(jsonOf(deleted)).toMatchObject({ success: true, data: { thumbnail_files_deleted: 3 } });
    expect(paths.some((path) => existsSync(path))).toBe(false);
    expect(library.core.ops.timelapses.getById(1)).toMatchObject({
      thumbnail_count: 0,
      small_count: 0,
    });
  });

  // util-linux `script` runs the CLI on a real pseudo-terminal.
  const hasScript = (() => {
    try {
      execFileSync('script', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!hasScript)('shows a progress bar on a TTY (needs util-linux script)', async () => {
    for (const image of library.core.ops.images.listByTimelapse(1, 0, 10))
      library.core.jobs.queueJob(image.id, 'high', { force: true });
    const command = [process.execPath, BIN, '--data', library.root, 'jobs', 'run', '--until-empty']
      .map((word) => `'${word}'`)
      .join(' ');
    const output = execFileSync('script', ['-qfec', command, '/dev/null'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(output).toMatch(/Processing \[[^\]]*\] 100% \| 3\/3/);
    expect(output).toContain('completed jobs 24h: 3');
  });

  it('imports a folder of frames through the capture path, once', async () => {
    const folder = makeTempDir('timelapser-frames-');
    for (let i = 0; i < 3; i++) {
      const file = join(folder.path, `IMG_${i}.jpg`);
      writeFileSync(file, await cameraLikeJpeg(640, 480, 20 + i));
      const at = new Date(2026, 4, 1, 6, i, 0);
      utimesSync(file, at, at);
    }
    writeFileSync(join(folder.path, 'broken.jpg'), 'not a jpeg at all');
    const first = await runCli([
      '--data',
      library.root,
      'import',
      folder.path,
      '--camera',
      'Roof',
      '--json',
    ]);
    expect(first.code, first.stderr).toBe(0);
    const result = jsonOf(first) as {
      data: { imported: number; rejected: { file: string }[]; camera_id: number };
    };
    expect(result.data.imported).toBe(3);
    expect(result.data.rejected.map((r) => r.file)).toEqual(['broken.jpg']);
    expect(library.core.ops.cameras.getByName('Roof')).toBeDefined();
    const again = await runCli([
      '--data',
      library.root,
      'import',
      folder.path,
      '--camera',
      'Roof',
      '--json',
    ]);
    expect(jsonOf(again)).toMatchObject({ data: { imported: 0, skipped_duplicates: 3 } });
    folder.remove();
  });
});

describe('timelapser serve', () => {
  const data = makeTempDir('timelapser-serve-');

  it('serves the API and web UI on loopback and stops cleanly on SIGTERM, logging to stderr', async () => {
    const server = await startServe([], { TIMELAPSER_DATA: data.path, TIMELAPSER_LOG_LEVEL: '' });
    try {
      expect(server.info).toMatchObject({ host: '127.0.0.1', token: null });
      const health = await fetch(`${server.info.url}/api/health`);
      expect(await health.json()).toMatchObject({ success: true, data: { status: 'ok' } });
      // A first start on a new library shows demo cameras, so the wall is live at once.
      const cameras = (await (await fetch(`${server.info.url}/api/cameras`)).json()) as {
        data: { source_type: string }[];
      };
      expect(cameras.data.map((c) => c.source_type)).toEqual(['demo', 'demo', 'demo', 'demo']);
      for (const id of [1, 2, 3, 4])
        await fetch(`${server.info.url}/api/cameras/${id}`, {
          method: 'DELETE',
          headers: { 'content-type': 'application/json' }, // a state change is JSON, or 415
        });
    } finally {
      expect(await server.stop()).toBe(0);
    }
    // The log: pino's JSON lines at info, none for each request.
    const logged = server
      .stderr()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: number; msg: string; component?: string });
    expect(logged.map((line) => line.msg)).toEqual([
      'library opened',
      `Server listening at ${server.info.url}`,
      'library closed',
    ]);
    expect(logged.map((line) => line.component)).toEqual(['core', 'http', 'core']);
    expect(logged.every((line) => line.level === 30)).toBe(true);
    // Not on later starts: a library whose cameras were all deleted stays empty.
    const again = await startServe([], { TIMELAPSER_DATA: data.path });
    try {
      const listed = (await (await fetch(`${again.info.url}/api/cameras`)).json()) as {
        data: unknown[];
      };
      expect(listed.data).toEqual([]);
    } finally {
      expect(await again.stop()).toBe(0);
    }
  });

  it('requires a token off loopback: made and shown once, kept as a hash', async () => {
    const first = await startServe(['--host', '0.0.0.0'], { TIMELAPSER_DATA: data.path });
    const token = first.info.token!;
    try {
      expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      const base = `http://127.0.0.1:${first.info.port}`;
      expect((await fetch(`${base}/api/health`)).status).toBe(401);
      expect(
        (await fetch(`${base}/api/health`, { headers: { authorization: `Bearer ${token}` } }))
          .status,
      ).toBe(200);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    const second = await startServe(['--host', '0.0.0.0'], { TIMELAPSER_DATA: data.path });
    try {
      expect(second.info.token).toBeNull();
      const base = `http://127.0.0.1:${second.info.port}`;
      expect(
        (await fetch(`${base}/api/health`, { headers: { authorization: `Bearer ${token}` } }))
          .status,
      ).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
