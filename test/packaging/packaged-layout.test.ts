import { listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineJpeg } from '../helpers/images';

/**
 * The packaged app starts its worker threads from app.asar.unpacked, where
 * nothing inside the asar can be reached. This packs `--linux dir` around a
 * stand-in Electron (a `dir` target needs only its executable), then in plain
 * Node loads from the unpacked folder what the app runs there, and checks
 * that nothing they load comes from anywhere else. The stand-in carries a
 * fuse wire as Electron's binary does (Electron's defaults), so the fuses
 * electron-builder flips can be read back from the packed executable.
 */

/** @electron/fuses finds the wire after this sentinel: version 1, its length, one '0'/'1' per fuse. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's own defaults, in FuseV1Options order. */
const ELECTRON_DEFAULT_FUSES = '10110001';

function standInElectron(): Buffer {
  const wire = Buffer.concat([
    Buffer.from(FUSE_SENTINEL, 'latin1'),
    Buffer.from([1, ELECTRON_DEFAULT_FUSES.length]),
    Buffer.from(ELECTRON_DEFAULT_FUSES, 'latin1'),
  ]);
  return Buffer.concat([Buffer.from('#!/bin/sh\n# '), wire, Buffer.from('\n')]);
}

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const here = import.meta.dirname;

let temp: string;
let unpacked: string;
let asar: string;
let executable: string;

beforeAll(async () => {
  // npm test builds out/ just before vitest; a bare `vitest run` may not have.
  if (!existsSync(join(root, 'out', 'main', 'index.js'))) {
    await run(join(root, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: root });
  }
  temp = realpathSync(mkdtempSync(join(tmpdir(), 'timelapser-pack-')));
  const electronDist = join(temp, 'electron');
  mkdirSync(electronDist);
  writeFileSync(join(electronDist, 'electron'), standInElectron());
  chmodSync(join(electronDist, 'electron'), 0o755);
  await run(
    join(root, 'node_modules', '.bin', 'electron-builder'),
    [
      '--linux',
      'dir',
      '--publish',
      'never',
      '-c.npmRebuild=false',
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${join(temp, 'dist')}`,
    ],
    { cwd: root },
  );
  executable = join(temp, 'dist', 'linux-unpacked', 'timelapser');
  const resources = join(temp, 'dist', 'linux-unpacked', 'resources');
  unpacked = join(resources, 'app.asar.unpacked');
  asar = join(resources, 'app.asar');
}, 180_000);

afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

describe('the packaged layout (electron-builder --linux dir)', () => {
  it('keeps the app in the asar and the worker entries beside the native modules', () => {
    const files = listPackage(asar, { isPack: false });
    expect(files).toContain('/out/main/index.js');
    for (const entry of ['thumbnail-task.js', 'checkpoint-task.js'])
      expect(existsSync(join(unpacked, 'out', 'main', entry))).toBe(true);
  });

  it('flips the fuses that lock the packaged app down, and only those', async () => {
    const wire = await getCurrentFuseWire(executable);
    const state = (fuse: FuseV1Options) => String.fromCharCode(wire[fuse] as number);
    expect(wire.version).toBe('1');
    const off = '0';
    const on = '1';
    expect({
      runAsNode: state(FuseV1Options.RunAsNode),
      nodeOptions: state(FuseV1Options.EnableNodeOptionsEnvironmentVariable),
      inspectArguments: state(FuseV1Options.EnableNodeCliInspectArguments),
      cookieEncryption: state(FuseV1Options.EnableCookieEncryption),
      onlyLoadAppFromAsar: state(FuseV1Options.OnlyLoadAppFromAsar),
      asarIntegrity: state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation),
      // Not configured: Electron's defaults stay.
      v8Snapshot: state(FuseV1Options.LoadBrowserProcessSpecificV8Snapshot),
      fileProtocol: state(FuseV1Options.GrantFileProtocolExtraPrivileges),
    }).toEqual({
      runAsNode: off,
      nodeOptions: off,
      inspectArguments: off,
      cookieEncryption: on,
      onlyLoadAppFromAsar: on,
      asarIntegrity: on,
      v8Snapshot: off,
      fileProtocol: on,
    });
  });

  it('packs the logger into the asar: the main process loads it from there, with no worker-thread transport', () => {
    const files = listPackage(asar, { isPack: false });
    for (const file of [
      '/node_modules/pino/pino.js',
      '/node_modules/sonic-boom/index.js',
      '/node_modules/rotating-file-stream/dist/esm/index.js',
    ])
      expect(files, file).toContain(file);
  });

  it('runs both worker entries and better-sqlite3 from app.asar.unpacked alone', async () => {
    const work = join(temp, 'work');
    mkdirSync(work);
    writeFileSync(join(work, 'frame.jpg'), await baselineJpeg());
    const log = join(temp, 'loads.jsonl');
    const probe = await run(
      process.execPath,
      ['--import', join(here, 'record-loads.mjs'), join(here, 'load-unpacked.mjs'), unpacked, work],
      { env: { ...process.env, LOAD_LOG: log }, timeout: 60_000 },
    ).catch((error: Error) => error); // the loads it logged say more than its exit

    type Load = { specifier?: string; parent?: string; url?: string; error?: string };
    const loads = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Load);
    expect(loads.filter((load) => load.error)).toEqual([]);
    const files = loads
      .map((load) => load.url)
      .filter((url) => url?.startsWith('file:')) as string[];
    const inside = pathToFileURL(unpacked).href + '/';
    const harness = ['load-unpacked.mjs', 'record-loads.mjs', 'resolve-hook.mjs'].map(
      (name) => pathToFileURL(join(here, name)).href,
    );
    expect(files.filter((url) => !url.startsWith(inside) && !harness.includes(url))).toEqual([]);
    // The recorder did see the worker entries and both native modules load.
    for (const expected of [
      /thumbnail-task\.js$/,
      /checkpoint-task\.js$/,
      /sharp-[\w.-]+\.node$/,
      /better_sqlite3\.node$/,
    ])
      expect(
        files.some((url) => expected.test(url)),
        String(expected),
      ).toBe(true);

    if (probe instanceof Error) throw probe;
    expect(JSON.parse(probe.stdout)).toMatchObject({
      validated: { ok: true, value: { ok: true, width: 640, height: 480 } },
      rendered: { ok: true, value: { thumbnail: { width: 200, height: 150 } } },
      published: true,
      checkpoint: { ready: 'ready', exitCode: 0 },
      sqlite: expect.stringMatching(/^3\./),
    });
  });
});
