import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PathOutsideRootError } from '../../src/main/errors';
import { DataTree } from '../../src/main/files/data-tree';
import { directorySize, safeDelete, sweepTempFiles } from '../../src/main/files/file-operations';
import { StagedFile } from '../../src/main/files/staged-file';
import { useTempDir } from '../helpers/temp-library';

describe('data tree', () => {
  const dir = useTempDir();
  const outside = useTempDir('timelapser-outside-');

  it('lays out the spec\'s folders and names', () => {
    const tree = new DataTree(join(dir.path, 'root'));
    tree.ensureTimelapseDirs(2, 5);
    const base = join(tree.root, 'cameras', 'camera-2', 'timelapse-5');
    expect(readdirSync(base).sort()).toEqual(['frames', 'smalls', 'thumbnails', 'videos']);
    expect(tree.filePath(2, 5, 'thumbnail', { timelapseId: 5, day: 3, clock: '010203', seq: 0 })).toBe(
      join('cameras', 'camera-2', 'timelapse-5', 'thumbnails', 'timelapse-5_thumb_day003_010203.jpg'),
    );
    expect(tree.databasePath).toBe(join(tree.root, 'timelapser.db'));
  });

  it.each([
    '../escape.jpg',
    'cameras/../../escape.jpg',
    'cameras/camera-1/../../../etc/passwd',
    '/etc/passwd',
    'C:\\Windows\\win.ini',
    'cameras/\0evil',
  ])('refuses %j', (path) => {
    const tree = new DataTree(dir.path);
    expect(() => tree.resolve(path)).toThrow(PathOutsideRootError);
  });

  it('refuses a symlink that points outside the root, and paths through it', () => {
    const tree = new DataTree(dir.path);
    writeFileSync(join(outside.path, 'secret.jpg'), 'x');
    mkdirSync(join(tree.root, 'cameras'), { recursive: true });
    symlinkSync(outside.path, join(tree.root, 'cameras', 'link'));
    symlinkSync(join(outside.path, 'secret.jpg'), join(tree.root, 'cameras', 'file.jpg'));
    expect(() => tree.resolve('cameras/link/secret.jpg')).toThrow(PathOutsideRootError);
    expect(() => tree.resolve('cameras/link/not-yet/new.jpg')).toThrow(PathOutsideRootError);
    expect(() => tree.resolve('cameras/file.jpg')).toThrow(PathOutsideRootError);
    expect(tree.resolve('cameras/inside.jpg')).toBe(join(tree.root, 'cameras', 'inside.jpg'));
  });

  it('writes atomically through the temp folder, never over a taken name, deletes safely and sums sizes', async () => {
    const tree = new DataTree(dir.path);
    const target = join(tree.root, 'a.jpg');
    const staged = await StagedFile.write(tree.tempDirectory, 'a.jpg', Buffer.alloc(1000, 1));
    expect(existsSync(target)).toBe(false);
    expect(await staged.publish(target)).toBe(true);
    const second = await StagedFile.write(tree.tempDirectory, 'a.jpg', Buffer.alloc(10, 2));
    expect(await second.publish(target)).toBe(false);
    await Promise.all([staged.discard(), second.discard()]);
    expect(readFileSync(target)).toEqual(Buffer.alloc(1000, 1));
    expect(readdirSync(tree.tempDirectory)).toEqual([]);
    mkdirSync(join(tree.root, 'sub'));
    writeFileSync(join(tree.root, 'sub', 'b'), Buffer.alloc(24));
    expect(await directorySize(tree.root)).toBeGreaterThanOrEqual(1024);
    expect(await directorySize(join(tree.root, 'missing'))).toBe(0);
    expect(await safeDelete(target)).toBe('deleted');
    expect(await safeDelete(target)).toBe('missing');
    expect(existsSync(target)).toBe(false);
  });

  it('sweeps temp files left by dead processes and keeps live ones', async () => {
    const tree = new DataTree(dir.path);
    const dead = join(tree.tempDirectory, '999999999.abc.x.jpg.tmp');
    const mine = join(tree.tempDirectory, `${process.pid}.abc.y.jpg.tmp`);
    writeFileSync(dead, 'half');
    writeFileSync(mine, 'half');
    expect(await sweepTempFiles(tree.tempDirectory)).toBe(1);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(mine)).toBe(true);
  });
});
