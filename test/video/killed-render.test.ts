import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCore } from '../../src/main/core';
import { waitFor } from '../capture/support';
import { useTempDir } from '../helpers/temp-library';
import { seedTimelapse } from './support';

const RENDERER = join(import.meta.dirname, '..', 'fixtures', 'render-video.ts');

/** ffmpeg processes whose command line writes into `directory`. */
function ffmpegsWriting(directory: string): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => /(^|\/)ffmpeg /.test(line) && line.includes(directory));
}

describe('a render killed mid-way', () => {
  const dir = useTempDir();

  it(
    'leaves no file under its final name, takes its ffmpeg with it, and is marked failed with the reason',
    { timeout: 240_000 },
    async () => {
      const seeding = await openCore({ dataRoot: dir.path, poolSize: 1 });
      const seeded = await seedTimelapse(seeding, { days: 2, perDay: 200 });
      const video = await seeding.videos.render({
        timelapse_id: seeded.timelapseId,
        fps: 24,
        size: 'full',
      });
      const finalPath = seeding.videos.filePath(video.id);
      await seeding.close();

      const child = spawn(
        process.execPath,
        ['--import', 'tsx', RENDERER, dir.path, String(video.id)],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('exit', (_code, signal) => resolve(signal)),
      );
      // Killed once ffmpeg has encoded frames, well before the 400th.
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          const done = /progress (\d+)\//.exec(chunk.toString());
          if (done && Number(done[1]) > 0) resolve();
        });
        void exited.then(() =>
          reject(new Error(`the renderer ended before it was killed: ${stderr}`)),
        );
      });
      expect(ffmpegsWriting(dir.path).length).toBe(1);
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      await waitFor(
        () => ffmpegsWriting(dir.path).length === 0,
        10_000,
        'its ffmpeg to die with it',
      );
      expect(existsSync(finalPath)).toBe(false);

      const core = await openCore({ dataRoot: dir.path, poolSize: 1 });
      try {
        // Opening swept the dead process's temp files (the partial MP4, the frame list).
        expect(await readdir(core.tree.tempDirectory)).toEqual([]);
        expect(core.videos.recover()).toBe(1);
        const failed = core.ops.videos.getById(video.id)!;
        expect(failed).toMatchObject({ status: 'failed', owner: null });
        expect(failed.error_message).toMatch(/^Interrupted: /);
        expect(failed.frames_done).toBeGreaterThan(0);
        expect(failed.frames_done).toBeLessThan(400);
        expect(existsSync(finalPath)).toBe(false);
      } finally {
        await core.close();
      }
    },
  );
});
