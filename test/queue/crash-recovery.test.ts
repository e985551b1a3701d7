import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCore } from '../../src/main/core';
import { cameraLikeJpeg, seedCamera, seedFrame, useTempDir } from '../helpers/temp-library';

const WORKER = join(import.meta.dirname, '..', 'fixtures', 'run-worker.ts');
const FRAMES = 2000;
const KILLS = 20;

function runWorker(dataRoot: string, killAfterMs: number | null): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, dataRoot], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d: Buffer) => {
      if (killAfterMs !== null && !timer && d.toString().includes('started')) {
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== null && code !== 0) reject(new Error(`worker exited ${code}: ${stderr}`));
      else resolve(signal === 'SIGKILL' ? null : code);
    });
  });
}

describe('crash recovery', () => {
  const dir = useTempDir();

  it(`completes every job exactly once after ${KILLS} SIGKILLs at random moments`, { timeout: 480_000 }, async () => {
    const core = await openCore({ dataRoot: dir.path });
    const { camera, timelapse } = seedCamera(core);
    const jpeg = await cameraLikeJpeg(128, 96, 7);
    const start = new Date(2025, 5, 1, 0, 0, 0).getTime();
    for (let i = 0; i < FRAMES; i++) {
      const frame = await seedFrame(core, camera.id, timelapse.id, new Date(start + i * 1000), jpeg);
      core.ops.jobs.createJob({ image_id: frame.image.id, priority: i % 3 === 0 ? 'high' : 'medium' });
    }
    await core.close();

    let random = 12345;
    let killed = 0;
    let killedMidJob = 0;
    for (let i = 0; i < KILLS; i++) {
      random = (random * 1103515245 + 12345) % 2 ** 31;
      const outcome = await runWorker(dir.path, 50 + (random % 700));
      if (outcome === null) killed++;
      const peek = new Database(join(dir.path, 'timelapser.db'), { readonly: true });
      if ((peek.prepare(`SELECT count(*) FROM thumbnail_generation_jobs WHERE status = 'processing'`).pluck().get() as number) > 0) {
        killedMidJob++;
      }
      peek.close();
    }
    // The kills really landed mid-work: jobs were left processing by a dead process.
    expect(killed).toBeGreaterThan(KILLS / 2);
    expect(killedMidJob).toBeGreaterThan(KILLS / 4);
    expect(await runWorker(dir.path, null)).toBe(0);

    const after = await openCore({ dataRoot: dir.path });
    try {
      expect(after.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const jobs = after.db
        .prepare('SELECT image_id, count(*) AS n, sum(status = \'completed\') AS done FROM thumbnail_generation_jobs GROUP BY image_id')
        .all() as { image_id: number; n: number; done: number }[];
      expect(jobs).toHaveLength(FRAMES);
      expect(jobs.every((j) => j.n === 1 && j.done === 1)).toBe(true);
      const images = after.db.prepare('SELECT thumbnail_path, small_path FROM images').all() as {
        thumbnail_path: string | null;
        small_path: string | null;
      }[];
      for (const image of images) {
        expect(image.thumbnail_path && existsSync(after.tree.resolve(image.thumbnail_path))).toBeTruthy();
        expect(image.small_path && existsSync(after.tree.resolve(image.small_path))).toBeTruthy();
      }
      expect(after.ops.timelapses.getById(timelapse.id)).toMatchObject({ thumbnail_count: FRAMES, small_count: FRAMES });
      expect(readdirSync(after.tree.tempDirectory)).toEqual([]);
      const thumbnails = readdirSync(after.tree.resolve(after.tree.kindDir(camera.id, timelapse.id, 'thumbnail')));
      expect(thumbnails).toHaveLength(FRAMES);
    } finally {
      await after.close();
    }
  });
});
