import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD_MASK } from '../../src/main/catalogue/credentials';
import type { CaptureSourceError } from '../../src/main/capture/errors';
import { ValidationError } from '../../src/main/errors';
import { textAsJpeg, truncated } from '../helpers/images';
import { startSnapshotCamera, type SnapshotCamera } from '../helpers/snapshot-camera';
import {
  cameraLikeJpeg,
  makeTempDir,
  seedCamera,
  seedFrame,
  useTestLibrary,
} from '../helpers/temp-library';

const VIEWER = { username: 'admin', password: 'Cam3ra!pass' };

describe('testing a camera before saving it', () => {
  const lib = useTestLibrary({ poolSize: 1 });
  const servers: SnapshotCamera[] = [];
  let frame: Buffer;
  beforeAll(async () => {
    frame = await cameraLikeJpeg(1280, 720, 5);
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });
  const camera = async (serve: () => Buffer, digest = true) => {
    const server = await startSnapshotCamera({
      frame: serve,
      auth: digest ? { scheme: 'digest', ...VIEWER } : undefined,
    });
    servers.push(server);
    return server;
  };
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the test to fail');
      },
      (error: unknown) => error as CaptureSourceError,
    );

  it('grabs one frame through digest auth and shows it, saving nothing', async () => {
    const cam = await camera(() => frame);
    const result = await lib.core.cameras.test({
      source_type: 'http',
      source_url: cam.url,
      source_options: VIEWER,
      preview: true,
    });
    expect(result).toMatchObject({
      source_type: 'http',
      width: 1280,
      height: 720,
      size: frame.length,
      format: 'jpeg',
    });
    if (result.source_type === 'folder') throw new Error('not a folder');
    const shown = Buffer.from(result.preview!.replace(/^data:image\/jpeg;base64,/, ''), 'base64');
    expect(await sharp(shown).metadata()).toMatchObject({ width: 1280, height: 720 });
    expect(lib.core.cameras.list()).toHaveLength(0);
    expect(
      existsSync(join(lib.root, 'cameras')) ? readdirSync(join(lib.root, 'cameras')) : [],
    ).toEqual([]);
  });

  it('says why: wrong password, not an image, a broken frame', async () => {
    const cam = await camera(() => frame);
    const wrong = await refusal(
      lib.core.cameras.test({
        source_type: 'http',
        source_url: cam.url,
        source_options: { ...VIEWER, password: 'nope' },
      }),
    );
    expect([wrong.code, wrong.message]).toEqual([
      'source_auth',
      'the camera refused the user name or password (HTTP 401, digest)',
    ]);
    const text = await camera(() => textAsJpeg(), false);
    const notImage = await refusal(
      lib.core.cameras.test({ source_type: 'http', source_url: text.url }),
    );
    expect(notImage.code).toBe('source_not_a_frame');
    expect(notImage.message).toMatch(/^the camera answered, but capture would refuse the frame: /);
    const cut = await camera(() => truncated(frame), false);
    expect(
      (await refusal(lib.core.cameras.test({ source_type: 'http', source_url: cut.url }))).details,
    ).toMatchObject({
      reason: 'truncated',
    });
  });

  it('tests an edited camera with its stored password behind the mask', async () => {
    const cam = await camera(() => frame);
    const saved = lib.core.cameras.create({
      name: 'Porch',
      source_type: 'http',
      source_url: cam.url,
      source_options: VIEWER,
      enabled: false,
    });
    const result = await lib.core.cameras.test({
      camera_id: saved.id,
      source_type: 'http',
      source_url: cam.url,
      source_options: { username: VIEWER.username, password: PASSWORD_MASK },
    });
    expect(result).toMatchObject({ width: 1280, height: 720 });
  });

  it('applies the rules of saving: no file URLs, no folder in the data root; a folder is only counted', async () => {
    await expect(
      lib.core.cameras.test({ source_type: 'http', source_url: 'file:///etc/passwd' }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      lib.core.cameras.test({ source_type: 'rtsp', source_url: 'file:///etc/passwd' }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      lib.core.cameras.test({ source_type: 'folder', source_url: join(lib.root, 'cameras') }),
    ).rejects.toThrow(/may not be inside the data root/);
    const inbox = makeTempDir('timelapser-inbox-');
    try {
      writeFileSync(join(inbox.path, 'a.jpg'), frame);
      writeFileSync(join(inbox.path, 'b.JPEG'), frame);
      writeFileSync(join(inbox.path, 'notes.txt'), 'secret');
      mkdirSync(join(inbox.path, 'sub'));
      const result = await lib.core.cameras.test({
        source_type: 'folder',
        source_url: inbox.path,
        preview: true,
      });
      expect(result).toMatchObject({
        source_type: 'folder',
        folder: inbox.path,
        jpeg_files: 2,
        writable: true,
      });
      expect(JSON.stringify(result)).not.toContain('base64');
    } finally {
      inbox.remove();
    }
  });
});

describe('arranging cameras and naming sessions', () => {
  const lib = useTestLibrary({ poolSize: 1 });

  it('keeps the wall order, puts a new camera last, and reorders', () => {
    const { cameras } = lib.core;
    const [a, b, c] = ['Gate', 'Yard', 'Roof'].map((name) =>
      cameras.create({ name, source_type: 'demo', enabled: false }),
    );
    expect(cameras.list().map((cam) => cam.name)).toEqual(['Gate', 'Yard', 'Roof']);
    cameras.reorder([c!.id, a!.id]);
    expect(cameras.list().map((cam) => cam.name)).toEqual(['Roof', 'Gate', 'Yard']);
    cameras.create({ name: 'Shed', source_type: 'demo', enabled: false });
    expect(cameras.list().map((cam) => cam.name)).toEqual(['Roof', 'Gate', 'Yard', 'Shed']);
    expect(() => cameras.reorder([b!.id, b!.id])).toThrow(ValidationError);
    expect(() => cameras.reorder([999])).toThrow(/Camera not found/);
  });

  it('keeps an optional group, trimmed, and clears it', () => {
    const { cameras } = lib.core;
    const gate = cameras.create({
      name: 'Gate',
      source_type: 'demo',
      group: ' Outside ',
      enabled: false,
    });
    expect(gate.group_name).toBe('Outside');
    expect(cameras.update(gate.id, { capture_interval_s: 5 }).group_name).toBe('Outside');
    expect(cameras.update(gate.id, { group: '' }).group_name).toBeNull();
  });

  it('renames a session and knows the bytes of its frames', async () => {
    const { camera, timelapse } = seedCamera(lib.core, 'Yard');
    const frames = [];
    for (let i = 0; i < 3; i++) {
      frames.push(
        await seedFrame(
          lib.core,
          camera.id,
          timelapse.id,
          new Date(2026, 0, 1, 8, i),
          await cameraLikeJpeg(320, 240, i + 1),
        ),
      );
    }
    const sum = frames.reduce((total, f) => total + f.image.file_size, 0);
    expect(lib.core.ops.timelapses.getById(timelapse.id)!.frame_bytes).toBe(sum);
    await lib.core.library.deleteImage(frames[0]!.image.id);
    expect(lib.core.ops.timelapses.getById(timelapse.id)!.frame_bytes).toBe(
      sum - frames[0]!.image.file_size,
    );
    expect(lib.core.timelapses.rename(timelapse.id, '  Spring  ').name).toBe('Spring');
  });
});
