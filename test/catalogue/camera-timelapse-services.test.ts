import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CameraService } from '../../src/main/catalogue/camera-service';
import { ensureDemoCameras } from '../../src/main/catalogue/demo-cameras';
import { TimelapseService } from '../../src/main/catalogue/timelapse-service';
import type { Core } from '../../src/main/core';
import { ConflictError, NotFoundError, ValidationError } from '../../src/main/errors';
import { seedFrame, useTestLibrary } from '../helpers/temp-library';
import { recordEvents } from '../capture/support';

function services(core: Core, onTimelapseCompleted?: (id: number) => Promise<void>) {
  return {
    cameras: new CameraService(core, core.library, () =>
      Promise.reject(new Error('no probe here')),
    ),
    timelapses: new TimelapseService(core, core.library, { onTimelapseCompleted }),
  };
}

describe('camera service', () => {
  const lib = useTestLibrary();

  it('adds, edits, disables and enables a camera, announcing each change', () => {
    const { cameras } = services(lib.core);
    const events = recordEvents(lib.core, 'camera_changed');
    const camera = cameras.create({
      name: ' Gate ',
      source_type: 'http',
      source_url: 'http://192.0.2.10/snap.jpg',
      source_options: { username: 'viewer', timeout_ms: 5000 },
      capture_interval_s: 10,
    });
    expect(camera).toMatchObject({
      name: 'Gate',
      source_type: 'http',
      capture_interval_s: 10,
      enabled: 1,
      generate_thumbnails: 1,
    });
    expect(JSON.parse(camera.source_options)).toEqual({ username: 'viewer', timeout_ms: 5000 });

    const edited = cameras.update(camera.id, {
      capture_interval_s: 30,
      generate_thumbnails: false,
    });
    expect(edited).toMatchObject({
      capture_interval_s: 30,
      generate_thumbnails: 0,
      source_url: 'http://192.0.2.10/snap.jpg',
    });
    expect(JSON.parse(edited.source_options)).toEqual({ username: 'viewer', timeout_ms: 5000 });
    expect(cameras.setEnabled(camera.id, false).enabled).toBe(0);
    expect(cameras.setEnabled(camera.id, true).enabled).toBe(1);
    expect(events).toEqual(
      Array.from({ length: 4 }, () => ({ type: 'camera_changed', camera_id: camera.id })),
    );
  });

  it('refuses bad cameras with typed errors and changes nothing', () => {
    const { core } = lib;
    const { cameras } = services(core);
    const bad: [Parameters<CameraService['create']>[0], RegExp][] = [
      [{ name: '', source_type: 'demo' }, /name/],
      [{ name: 'A', source_type: 'http' }, /needs a source_url/],
      [{ name: 'A', source_type: 'http', source_url: 'ftp://cam/snap.jpg' }, /http: or https: URL/],
      [{ name: 'A', source_type: 'rtsp', source_url: 'http://cam/stream' }, /rtsp: or rtsps: URL/],
      [{ name: 'A', source_type: 'rtsp', source_url: 'not a url' }, /not a URL/],
      [{ name: 'A', source_type: 'demo', source_url: 'http://x/' }, /no source_url/],
      [{ name: 'A', source_type: 'folder', source_url: 'relative/inbox' }, /absolute/],
      [
        { name: 'A', source_type: 'folder', source_url: join(core.tree.root, 'inbox') },
        /inside the data root/,
      ],
      [{ name: 'A', source_type: 'demo', capture_interval_s: 0 }, /capture_interval_s/],
      [{ name: 'A', source_type: 'demo', capture_interval_s: 1.5 }, /capture_interval_s/],
      [
        {
          name: 'A',
          source_type: 'http',
          source_url: 'http://cam/',
          source_options: { timeout_ms: -1 },
        },
        /source_options/,
      ],
      [
        {
          name: 'A',
          source_type: 'http',
          source_url: 'http://cam/',
          source_options: { colour: 'red' },
        },
        /source_options/,
      ],
      [{ name: 'A', source_type: 'webcam' as 'demo' }, /Unknown source_type/],
    ];
    for (const [input, message] of bad) {
      expect(() => cameras.create(input), JSON.stringify(input)).toThrow(ValidationError);
      expect(() => cameras.create(input)).toThrow(message);
    }
    expect(cameras.list()).toEqual([]);
  });

  it('keeps names unique (409) and allows a disabled folder camera without a folder', () => {
    const { cameras } = services(lib.core);
    const first = cameras.create({ name: 'Porch', source_type: 'demo' });
    expect(() => cameras.create({ name: 'Porch', source_type: 'demo' })).toThrow(ConflictError);
    const other = cameras.create({ name: 'Other', source_type: 'demo' });
    expect(() => cameras.update(other.id, { name: 'Porch' })).toThrow(ConflictError);
    const archive = cameras.create({ name: 'Archive', source_type: 'folder', enabled: false });
    expect(() => cameras.setEnabled(archive.id, true)).toThrow(/watch folder/);
    expect(cameras.get(first.id).name).toBe('Porch');
    expect(() => cameras.get(999)).toThrow(NotFoundError);
  });

  it('deletes a camera with its timelapses, images, jobs and folder', async () => {
    const { core } = lib;
    const { cameras, timelapses } = services(core);
    const camera = cameras.create({ name: 'Drive', source_type: 'demo' });
    const timelapse = timelapses.start(camera.id);
    const frame = await seedFrame(core, camera.id, timelapse.id, new Date(2025, 0, 1, 8, 0, 0));
    core.ops.jobs.createJob({ image_id: frame.image.id, priority: 'medium' });
    const events = recordEvents(core, 'camera_changed');

    await cameras.delete(camera.id);

    expect(existsSync(frame.absolutePath)).toBe(false);
    expect(existsSync(core.tree.resolve(core.tree.cameraDir(camera.id)))).toBe(false);
    expect(core.ops.timelapses.getById(timelapse.id)).toBeUndefined();
    expect(core.ops.images.getById(frame.image.id)).toBeUndefined();
    expect(core.ops.jobs.getLiveJobForImage(frame.image.id)).toBeUndefined();
    expect(events).toEqual([{ type: 'camera_changed', camera_id: camera.id }]);
    await expect(cameras.delete(camera.id)).rejects.toThrow(NotFoundError);
  });
});

describe('timelapse service', () => {
  const lib = useTestLibrary();

  it('starts one active session per camera; stop frees the camera for the next', () => {
    const { core } = lib;
    const { cameras, timelapses } = services(core);
    const camera = cameras.create({ name: 'Roof', source_type: 'demo' });
    const events = recordEvents(core, 'timelapse_changed');
    const first = timelapses.start(camera.id, 'Spring');
    expect(first).toMatchObject({ name: 'Spring', status: 'active', camera_id: camera.id });
    for (const sub of ['frames', 'thumbnails', 'smalls', 'videos']) {
      expect(
        existsSync(join(core.tree.resolve(core.tree.timelapseDir(camera.id, first.id)), sub)),
      ).toBe(true);
    }
    const conflict = (() => {
      try {
        timelapses.start(camera.id);
      } catch (error) {
        return error;
      }
    })();
    expect(conflict).toBeInstanceOf(ConflictError);
    expect((conflict as ConflictError).details).toEqual({
      camera_id: camera.id,
      active_timelapse_id: first.id,
    });

    expect(timelapses.stop(first.id).status).toBe('stopped');
    const second = timelapses.start(camera.id);
    expect(second.name).toMatch(/^Roof \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(core.ops.timelapses.getActiveForCamera(camera.id)!.id).toBe(second.id);
    expect(events.map((e) => e.timelapse_id)).toEqual([first.id, first.id, second.id]);
    expect(() => timelapses.start(12345)).toThrow(NotFoundError);
  });

  it('completes a session once, then runs the completion hook (the queue’s small purge)', async () => {
    const { core } = lib;
    const completedHookCalls: number[] = [];
    const { cameras, timelapses } = services(core, async (id) => {
      completedHookCalls.push(id);
    });
    const camera = cameras.create({ name: 'Pond', source_type: 'demo' });
    const timelapse = timelapses.start(camera.id);
    const completed = await timelapses.complete(timelapse.id);
    expect(completed.status).toBe('completed');
    expect(completed.completed_at).toBeGreaterThan(0);
    expect(completedHookCalls).toEqual([timelapse.id]);
    await timelapses.complete(timelapse.id);
    expect(completedHookCalls).toEqual([timelapse.id]);
    expect(() => timelapses.stop(timelapse.id)).toThrow(ConflictError);
    expect(timelapses.start(camera.id).status).toBe('active');
  });

  it('keeps a completion when the hook fails, and deletes a session with its files', async () => {
    const { core } = lib;
    const { cameras, timelapses } = services(core, async () => {
      throw new Error('purge failed');
    });
    const camera = cameras.create({ name: 'Barn', source_type: 'demo' });
    const timelapse = timelapses.start(camera.id);
    const frame = await seedFrame(core, camera.id, timelapse.id, new Date(2025, 0, 1, 9, 0, 0));
    expect((await timelapses.complete(timelapse.id)).status).toBe('completed');
    await timelapses.delete(timelapse.id);
    expect(existsSync(frame.absolutePath)).toBe(false);
    expect(timelapses.list(camera.id)).toEqual([]);
    await expect(timelapses.delete(timelapse.id)).rejects.toThrow(NotFoundError);
  });
});

describe('demo cameras on first start', () => {
  const lib = useTestLibrary();

  it('creates demo cameras with active sessions only in an empty library', () => {
    const { core } = lib;
    const created = ensureDemoCameras(core);
    expect(created.map((c) => [c.name, c.source_type, c.enabled])).toEqual([
      ['Demo camera 1', 'demo', 1],
      ['Demo camera 2', 'demo', 1],
      ['Demo camera 3', 'demo', 1],
      ['Demo camera 4', 'demo', 1],
    ]);
    for (const camera of created)
      expect(core.ops.timelapses.getActiveForCamera(camera.id)?.status).toBe('active');
    expect(ensureDemoCameras(core)).toEqual([]);
    expect(core.ops.cameras.list()).toHaveLength(4);
  });

  it('adds nothing when the user already has a camera', () => {
    const { core } = lib;
    services(core).cameras.create({ name: 'Mine', source_type: 'demo', enabled: false });
    expect(ensureDemoCameras(core, 2)).toEqual([]);
    expect(core.ops.cameras.list().map((c) => c.name)).toEqual(['Mine']);
  });
});
