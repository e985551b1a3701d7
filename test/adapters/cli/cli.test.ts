import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/main/adapters/cli/commands';
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

  it('answers --help for every command and every group of commands', async () => {
    for (const command of COMMANDS) {
      const run = await runCli([...command.name.split(' '), '--help']);
      expect(run.code, command.name).toBe(0);
      expect(run.stdout).toMatch(
        new RegExp(`^Usage: timelapser \\[--data DIR\\] ${command.name}( |$)`, 'm'),
      );
      expect(run.stdout).toContain(command.summary);
    }
    for (const group of ['thumbnails', 'jobs']) {
      const run = await runCli([group, '--help']);
      expect(run.code, group).toBe(0);
      expect(run.stdout).toMatch(
        new RegExp(`^Usage: timelapser \\[--data DIR\\] ${group} <command>`),
      );
      const names = COMMANDS.filter((c) => c.name.startsWith(`${group} `)).map((c) => c.name);
      expect(names.length).toBeGreaterThan(3);
      for (const name of names) expect(run.stdout).toContain(`  ${name}`);
      // Without a command the group's list goes to stderr with exit code 2.
      const bare = await runCli(['--data', data.path, group]);
      expect(bare.code).toBe(2);
      expect(bare.stderr).toMatch(
        new RegExp(
          `^timelapser: "${group}" needs a command\n\nUsage: timelapser \\[--data DIR\\] ${group} <command>`,
        ),
      );
    }
  }, 120_000);

  it("says a validation error in one line and the command's usage, without the schema's internals (2)", async () => {
    const run = await runCli(['--data', data.path, 'import', data.path, '--camera', ' ']);
    expect(run.code).toBe(2);
    const [first, second, third] = run.stderr.split('\n');
    expect(first).toMatch(/^timelapser: Invalid argument camera: /);
    expect(second).toBe('');
    expect(third).toMatch(/^Usage: timelapser \[--data DIR\] import <folder> --camera NAME/);
    expect(run.stderr).not.toMatch(/issues|path:/);
  });

  it('says a port in use in one line and exits 1, without a stack trace', async () => {
    const first = await startServe(['--data', data.path]);
    try {
      const run = await runCli(
        ['--data', data.path, 'serve', '--port', String(first.info.port)],
        {},
        BIN,
        30_000,
      );
      expect(run.code).toBe(1);
      // serve logs JSON lines on stderr (info); besides them, the failure is one line of words.
      const words = run.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{'));
      expect(words).toEqual([
        `timelapser: 127.0.0.1:${first.info.port} is already in use (another Timelapser, or another program); stop it or choose another --port`,
      ]);
      expect(run.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
    } finally {
      await first.stop();
    }
  }, 60_000);

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

  it('exits 1 after regenerate --wait when jobs failed, saying how many and why, frame by frame', async () => {
    const [lost] = library.core.ops.images.listByTimelapse(1, 0, 1);
    rmSync(library.core.tree.resolve(lost!.file_path));
    const run = await runCli([
      '--data',
      library.root,
      'thumbnails',
      'regenerate',
      '--force',
      '--wait',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^Regeneration\nRegeneration \(everything\) complete: 2\/3 images, 1 failed\n/,
    );
    const reason = run.stderr.split('\n');
    expect(reason[0]).toBe('timelapser: 1 of 3 jobs failed');
    expect(reason[1]).toContain(`Yard / Yard session, `);
    expect(reason[1]).toContain(`(${lost!.file_path}): `);
    expect(reason[1]).toMatch(/does not exist|missing/i);
    expect(run.stderr).not.toContain('MaxListenersExceededWarning');

    const json = await runCli([
      '--data',
      library.root,
      'thumbnails',
      'regenerate',
      '--force',
      '--wait',
      '--json',
    ]);
    expect(json.code).toBe(1);
    expect(jsonOf(json)).toMatchObject({
      success: false,
      details: {
        code: 'jobs_failed',
        regeneration: { failed: 1 },
        failures: [{ image_id: lost!.id, attempts: 1 }],
      },
    });

    // The failed jobs, listed by frame, retried and cleared from the CLI.
    const failed = await runCli(['--data', library.root, 'jobs', 'failed', '--json']);
    expect(jsonOf(failed)).toMatchObject({ success: true, data: { total: 2 } });
    const retried = await runCli(['--data', library.root, 'jobs', 'retry', '--json']);
    expect(jsonOf(retried)).toMatchObject({ success: true, data: { requeued: 1, superseded: 1 } });
    const drained = await runCli([
      '--data',
      library.root,
      'jobs',
      'run',
      '--until-empty',
      '--json',
    ]);
    expect(drained.code, drained.stderr).toBe(0);
    const cleared = await runCli(['--data', library.root, 'jobs', 'clear-failed', '--json']);
    expect(jsonOf(cleared)).toMatchObject({ success: true, data: { count: 1 } });
    expect(library.core.jobs.listFailedJobs().total).toBe(0);
  }, 120_000);

  it('pauses the queue for every process: another process claims nothing, jobs run --until-empty says so (1)', async () => {
    for (const image of library.core.ops.images.listByTimelapse(1, 0, 10))
      library.core.jobs.queueJob(image.id, 'high');
    const paused = await runCli(['--data', library.root, 'jobs', 'pause']);
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toMatch(
      /^Job queue\nThe queue is paused since .* \(by .*, pid \d+\): no process starts another job until it is resumed\n/,
    );
    // This test's own core is another process's connection: it obeys too.
    expect(library.core.jobs.claimJobs(10)).toEqual([]);
    const run = await runCli(['--data', library.root, 'jobs', 'run', '--until-empty']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^timelapser: The queue is paused .*; resume it with "timelapser jobs resume"\n$/,
    );
    expect(library.core.jobs.getJobStatistics().pending_jobs).toBe(3);
    const resumed = await runCli(['--data', library.root, 'jobs', 'resume', '--json']);
    expect(jsonOf(resumed)).toMatchObject({ success: true, data: { paused: false } });
    expect(library.core.jobs.claimJobs(10)).toHaveLength(3);
  });

  it("prints true orphan counts and disk use from a one-shot process, with the scan's time", async () => {
    const thumbs = library.core.tree.kindDir(1, 1, 'thumbnail');
    for (const clock of ['235958', '235959'])
      writeFileSync(
        library.core.tree.resolve(`${thumbs}/timelapse-1_thumb_day009_${clock}.jpg`),
        'orphan',
      );
    const run = await runCli(['--data', library.root, 'thumbnails', 'stats']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^Thumbnail statistics\nOrphaned files: 2 thumbnails, 0 smalls \(scanned .+\)\nOn disk: frames [\d.]+ (KB|MB), thumbnails [\d.]+ KB, smalls [\d.]+ KB, videos 0 B; .+ free of .+\n/,
    );
    const json = jsonOf(await runCli(['--data', library.root, 'thumbnails', 'stats', '--json']));
    expect(json).toMatchObject({
      success: true,
      data: {
        orphaned_thumbnail_files: 2,
        orphan_scan: { scanned_at: expect.any(String), stale: false },
      },
    });
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
