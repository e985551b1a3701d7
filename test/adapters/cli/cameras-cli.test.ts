import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src/main/adapters/http/server';
import type { OperationArgs, OperationName } from '../../../src/shared/contract';
import { startSnapshotCamera, type SnapshotCamera } from '../../helpers/snapshot-camera';
import { cameraLikeJpeg, openTestLibrary, type TestLibrary } from '../../helpers/temp-library';
import { callHttp, serve } from '../http/http-helpers';
import { jsonOf, runCli } from './cli-helpers';

const VIEWER = { username: 'admin', password: 'Cam3ra!pass' };
const TIME = /"\d{4}-\d\d-\d\dT[\d:.]+Z"/g;
const mask = (value: unknown) =>
  JSON.parse(
    JSON.stringify(value, (key, item) => (key === 'elapsed_ms' ? '<ms>' : item)).replace(
      TIME,
      '"<time>"',
    ),
  );

/**
 * `timelapser cameras …` and `timelapses …` on a library, against a digest
 * camera on 127.0.0.1: each --json answer is the HTTP API's own JSON.
 */
describe('timelapser cameras and timelapses', () => {
  let camera: SnapshotCamera;
  let library: TestLibrary;
  let server: RunningServer;
  beforeAll(async () => {
    const frame = await cameraLikeJpeg(1280, 720, 3);
    camera = await startSnapshotCamera({
      frame: () => frame,
      auth: { scheme: 'digest', algorithm: 'SHA-256', ...VIEWER },
    });
  });
  afterAll(() => camera.close());
  beforeEach(async () => {
    library = await openTestLibrary({ poolSize: 1 });
    server = await serve(library);
  });
  afterEach(async () => {
    await server.close();
    await library.cleanup();
  });

  const cli = async (...args: string[]) => {
    const run = await runCli(['--data', library.root, ...args, '--json']);
    return { code: run.code, body: jsonOf(run), stderr: run.stderr };
  };
  const http = async <N extends OperationName>(name: N, args?: OperationArgs<N>) =>
    (await callHttp(server, name, args)).body;

  it('adds a digest camera after testing it, edits, orders, runs a timelapse, disables and removes it', async () => {
    const source = ['--type', 'http', '--url', camera.url, '--user', VIEWER.username];

    const wrong = await cli('cameras', 'test', ...source, '--password', 'guess');
    expect(wrong.code).toBe(1);
    expect(wrong.body).toMatchObject({
      success: false,
      error: 'the camera refused the user name or password (HTTP 401, digest)',
    });

    const tested = await cli('cameras', 'test', ...source, '--password', VIEWER.password);
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.body).toMatchObject({
      success: true,
      data: { width: 1280, height: 720, format: 'jpeg', preview: null },
    });
    expect(await http('cameras.list')).toEqual({ success: true, data: [] }); // a test saves nothing

    const added = await cli(
      'cameras',
      'add',
      '--name',
      'Driveway',
      ...source,
      '--password',
      VIEWER.password,
      '--interval',
      '10',
      '--group',
      'Outside',
    );
    expect(added.code, added.stderr).toBe(0);
    const id = (added.body.data as { id: number }).id;
    expect(mask(added.body)).toEqual(mask(await http('cameras.get', { camera_id: id })));
    expect(added.body.data).toMatchObject({
      group: 'Outside',
      capture_interval_s: 10,
      source_options: { password: '********' },
    });
    expect(JSON.stringify(added.body)).not.toContain(VIEWER.password);

    // An edit leaves the password alone, and the mask still tests with the stored one.
    const edited = await cli('cameras', 'edit', String(id), '--interval', '30');
    expect(edited.body.data).toMatchObject({
      capture_interval_s: 30,
      source_options: { username: 'admin', password: '********' },
    });
    expect(
      (await cli('cameras', 'test', ...source, '--password', '********', '--camera', String(id)))
        .code,
    ).toBe(0);

    const gate = await cli('cameras', 'add', '--name', 'Gate', '--type', 'demo');
    const gateId = (gate.body.data as { id: number }).id;
    const ordered = await cli('cameras', 'reorder', `${gateId},${id}`);
    expect((ordered.body.data as { name: string }[]).map((c) => c.name)).toEqual([
      'Gate',
      'Driveway',
    ]);
    expect(mask(await cli('cameras', 'list')).body).toEqual(mask(await http('cameras.list')));

    const started = await cli('timelapses', 'start', '--camera', String(id), '--name', 'Spring');
    const timelapseId = (started.body.data as { id: number }).id;
    expect(started.body.data).toMatchObject({ name: 'Spring', status: 'active', camera_id: id });
    expect((await cli('timelapses', 'start', '--camera', String(id))).body).toMatchObject({
      success: false,
      status_code: 409,
    });
    expect(
      (await cli('timelapses', 'rename', String(timelapseId), '--name', 'Spring 2026')).body.data,
    ).toMatchObject({ name: 'Spring 2026' });
    expect((await cli('timelapses', 'stop', String(timelapseId))).body.data).toMatchObject({
      status: 'stopped',
    });
    expect((await cli('timelapses', 'complete', String(timelapseId))).body.data).toMatchObject({
      status: 'completed',
    });
    const listed = await cli('timelapses', 'list', '--camera', String(id));
    expect(mask(listed.body)).toEqual(mask(await http('timelapses.list', { camera_id: id })));

    expect((await cli('cameras', 'disable', String(id))).body.data).toMatchObject({
      enabled: false,
    });
    expect((await cli('cameras', 'enable', String(id))).body.data).toMatchObject({ enabled: true });
    const refusedRemove = await runCli(['--data', library.root, 'cameras', 'remove', String(id)]);
    expect([refusedRemove.code, refusedRemove.stderr]).toEqual([
      2,
      expect.stringContaining('"cameras remove" needs --yes'),
    ]);
    expect((await cli('cameras', 'remove', String(id), '--yes')).body).toEqual({
      success: true,
      data: { deleted: true, id },
    });
    expect((await http('cameras.list')) as { data: unknown[] }).toMatchObject({
      data: [{ name: 'Gate' }],
    });
  }, 180_000);

  it('says what is wrong on the command line (2) and in words without --json', async () => {
    const usage = [
      ['cameras', 'add', '--name', 'X', '--type', 'ftp'],
      ['cameras', 'add', '--name', 'X', '--type', 'demo', '--transport', 'udp'],
      ['cameras', 'edit', 'abc'],
      ['cameras', 'test', '--type', 'http', '--url', 'file:///etc/passwd'],
      ['timelapses', 'start'],
    ];
    for (const args of usage)
      expect((await runCli(['--data', library.root, ...args])).code, args.join(' ')).toBe(2);
    const words = await runCli([
      '--data',
      library.root,
      'cameras',
      'test',
      '--type',
      'http',
      '--url',
      camera.url,
      '--user',
      'admin',
      '--password',
      VIEWER.password,
    ]);
    expect(words.code, words.stderr).toBe(0);
    expect(words.stdout).toMatch(
      /^Camera test\nGot a 1280×720 JPEG frame \([\d.]+ KB\) in [\d,]+ ms\.\n/,
    );
    const failed = await runCli([
      '--data',
      library.root,
      'cameras',
      'test',
      '--type',
      'http',
      '--url',
      camera.url,
    ]);
    expect([failed.code, failed.stderr.split('\n')[0]]).toEqual([
      1,
      'timelapser: the camera asks for a user name and password (HTTP 401, digest)',
    ]);
  }, 120_000);
});
