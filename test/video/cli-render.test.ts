import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../src/main/core';
import { jsonOf, runCli } from '../adapters/cli/cli-helpers';
import { makeTempDir } from '../helpers/temp-library';
import { probe, seedTimelapse } from './support';

/** `timelapser render` through the built CLI, as a script on a headless box runs it. */
describe('timelapser render', () => {
  const data = makeTempDir('timelapser-cli-render-');
  let timelapseId: number;

  beforeAll(async () => {
    const core = await openCore({ dataRoot: data.path, poolSize: 1 });
    timelapseId = (await seedTimelapse(core, { days: 3, perDay: 8, width: 640, height: 480 }))
      .timelapseId;
    await core.close();
  }, 60_000);

  it('renders here with --wait and prints the output path first, then the video in words', async () => {
    const run = await runCli([
      '--data',
      data.path,
      'render',
      String(timelapseId),
      '--fps',
      '8',
      '--size',
      'small',
      '--from-day',
      '2',
      '--wait',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const [path, summary, scope] = run.stdout.split('\n');
    expect(path).toBe(
      `${data.path}/cameras/camera-1/timelapse-${timelapseId}/videos/timelapse-${timelapseId}_small_8fps_day002-end_v01.mp4`,
    );
    expect(summary).toBe('16 frames at 8 fps (0:02, 640×480, ' + summary!.split(', ').at(-1));
    expect(scope).toBe('small size, days 2–end');
    expect(await probe(path!)).toMatchObject({ frames: 16, duration: 2, width: 640, height: 480 });
  });

  it('prints the HTTP API envelope with --json, and only queues without --wait', async () => {
    const waited = jsonOf(
      await runCli([
        '--data',
        data.path,
        '--json',
        'render',
        String(timelapseId),
        '--fps',
        '24',
        '--size',
        'small',
        '--to-day',
        '1',
        '--wait',
      ]),
    );
    expect(waited).toMatchObject({
      success: true,
      data: { status: 'completed', frame_count: 8, fps: 24, width: 640, height: 480 },
    });
    const queued = await runCli(['--data', data.path, 'render', String(timelapseId)]);
    expect(queued.code).toBe(0);
    expect(queued.stdout).toMatch(
      /^Render queued\nQueued: 24 frames at 24 fps\n1080p, every day\nThe app or "timelapser serve" renders it to \/.*_1080p_24fps_v03\.mp4\n/,
    );
    expect(existsSync(queued.stdout.split(' renders it to ')[1]!.split('\n')[0]!)).toBe(false);
  });

  it('refuses bad arguments (2), and says when the timelapse or ffmpeg is missing (1)', async () => {
    for (const args of [
      ['render'],
      ['render', 'abc'],
      ['render', '1', '--fps', '0'],
      ['render', '1', '--size', 'huge'],
      ['render', '1', '--from-day', '3', '--to-day', '2'],
    ]) {
      const run = await runCli(['--data', data.path, ...args]);
      expect(run.code, args.join(' ')).toBe(2);
    }
    const unknown = await runCli(['--data', data.path, '--json', 'render', '99']);
    expect([unknown.code, jsonOf(unknown).status_code]).toEqual([1, 404]);
    const noFfmpeg = await runCli(['--data', data.path, 'render', String(timelapseId), '--wait'], {
      TIMELAPSER_FFMPEG: '/nonexistent/ffmpeg',
    });
    expect(noFfmpeg.code).toBe(1);
    expect(noFfmpeg.stderr).toMatch(
      /^timelapser: ffmpeg was not found \(tried "\/nonexistent\/ffmpeg"\): install it/,
    );
  });
});
