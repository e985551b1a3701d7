#!/usr/bin/env node
// Readies Electron for `npm start` without touching what the tests use:
// 1. Electron's own binary (its install script is not allowed to run at npm ci).
// 2. better-sqlite3 built for Electron's ABI into .cache/electron-native/, a copy
//    beside the plain-Node build in node_modules that `npm test` loads.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rebuild } from '@electron/rebuild';

const root = join(import.meta.dirname, '..');
const electronDir = join(root, 'node_modules', 'electron');
const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;

if (!existsSync(join(electronDir, 'path.txt'))) {
  console.log(`Fetching the Electron ${electronVersion} binary…`);
  execFileSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: electronDir,
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
  });
}

const outDir = join(root, '.cache', 'electron-native');
const stamp = join(outDir, 'stamp.json');
const wanted = JSON.stringify({ electron: electronVersion, arch: process.arch });
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) process.exit(0);

console.log(`Building better-sqlite3 for Electron ${electronVersion} into .cache/electron-native…`);
// @electron/rebuild works on an app folder: a copy of better-sqlite3 (without its
// Node build) in a folder of its own, so node_modules is never rebuilt.
const work = join(root, '.cache', 'electron-build');
const source = join(root, 'node_modules', 'better-sqlite3');
const copy = join(work, 'node_modules', 'better-sqlite3');
rmSync(work, { recursive: true, force: true });
cpSync(source, copy, { recursive: true, filter: (p) => !p.startsWith(join(source, 'build')) });
writeFileSync(join(work, 'package.json'), JSON.stringify({ private: true, dependencies: { 'better-sqlite3': '*' } }));
// Node's headers (npm ci sets npm_config_nodedir) must not be used for Electron's ABI.
delete process.env.npm_config_nodedir;
await rebuild({
  buildPath: work,
  projectRootPath: work,
  electronVersion,
  arch: process.arch,
  onlyModules: ['better-sqlite3'],
  force: true,
});
mkdirSync(outDir, { recursive: true });
cpSync(join(copy, 'build', 'Release', 'better_sqlite3.node'), join(outDir, 'better_sqlite3.node'));
writeFileSync(stamp, wanted);
