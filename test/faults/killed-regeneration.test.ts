import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCore } from '../../src/main/core';
import { BIN, jsonOf, runCli } from '../adapters/cli/cli-helpers';
import { waitFor } from '../capture/support';
import { cameraLikeJpeg, seedCamera, seedFrame, useTempDir } from '../helpers/temp-library';

interface SessionRow {
  id: number;
  status: string;
  owner: string | null;
}

function sessions(root: string): SessionRow[] {
  const db = new Database(join(root, 'timelapser.db'), { readonly: true });
  try {
    return db
      .prepare('SELECT id, status, owner FROM regeneration_sessions ORDER BY id')
      .all() as SessionRow[];
  } finally {
    db.close();
  }
}

function completedJobs(root: string): number {
  const db = new Database(join(root, 'timelapser.db'), { readonly: true });
  try {
    return db
      .prepare("SELECT count(*) FROM thumbnail_generation_jobs WHERE status = 'completed'")
      .pluck()
      .get() as number;
  } finally {
    db.close();
  }
}

/** `thumbnails regenerate --force --wait` in a child process, SIGKILLed once it has done some of the work. */
const FRAMES = 200;

async function killedRegeneration(root: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [BIN, '--data', root, 'thumbnails', 'regenerate', '--force', '--wait', '--json'],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await waitFor(() => completedJobs(root) >= 2, 30_000, 'the regeneration to get going');
  child.kill('SIGKILL');
  await exited;
}

describe('a killed regeneration does not block the next', () => {
  const dir = useTempDir('timelapser-killed-regeneration-');

  async function library(): Promise<void> {
    const core = await openCore({ dataRoot: dir.path, poolSize: 1 });
    const { camera, timelapse } = seedCamera(core, 'Roof');
    const start = new Date(2026, 5, 1, 9, 0, 0).getTime();
    // Enough Full-HD frames that the regeneration is still running when it is
    // killed (40 small ones were sometimes all done before the kill landed).
    const frame = await cameraLikeJpeg(1920, 1080, 7);
    for (let i = 0; i < FRAMES; i++)
      await seedFrame(core, camera.id, timelapse.id, new Date(start + i * 60_000), frame);
    await core.close();
  }

  it(
    'a new regenerate settles the dead session and starts its own; thumbnails cancel ends it',
    { timeout: 120_000 },
    async () => {
      await library();
      await killedRegeneration(dir.path);
      const [dead] = sessions(dir.path);
      expect(dead).toMatchObject({ status: 'running', owner: expect.any(String) });

      const next = await runCli(['--data', dir.path, 'thumbnails', 'regenerate', '--json']);
      expect(next.code, next.stdout + next.stderr).toBe(0);
      expect(jsonOf(next).data).toMatchObject({ status: 'running' });
      expect(sessions(dir.path).map((s) => [s.id, s.status])).toEqual([
        [dead!.id, 'cancelled'],
        [dead!.id + 1, 'running'],
      ]);

      const cancelled = await runCli(['--data', dir.path, 'thumbnails', 'cancel', '--json']);
      expect(cancelled.code).toBe(0);
      expect(jsonOf(cancelled).data).toMatchObject({
        session_id: dead!.id + 1,
        status: 'cancelled',
      });
      const said = await runCli(['--data', dir.path, 'thumbnails', 'cancel']);
      expect(said.stdout).toMatch(/Regeneration \(missing only\) cancelled after \d+\/\d+ images/);
    },
  );

  it(
    'a process that drives sessions (the app, serve) takes the dead session over and finishes it',
    { timeout: 120_000 },
    async () => {
      await library();
      await killedRegeneration(dir.path);
      const [dead] = sessions(dir.path);
      expect(dead!.status).toBe('running');

      const core = await openCore({ dataRoot: dir.path, poolSize: 1 });
      try {
        core.start();
        await waitFor(
          () => sessions(dir.path)[0]!.owner === core.jobs.owner,
          10_000,
          'the take-over',
        );
        await waitFor(
          () => core.thumbnails.getThumbnailRegenerationStatus().status === 'completed',
          90_000,
          'the session to finish',
        );
        expect(core.thumbnails.getThumbnailRegenerationStatus()).toMatchObject({
          session_id: dead!.id,
          total: FRAMES,
          completed: FRAMES,
          failed: 0,
        });
      } finally {
        await core.close();
      }
      expect(sessions(dir.path)).toHaveLength(1);
    },
  );
});
