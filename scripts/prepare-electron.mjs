#!/usr/bin/env node
// Readies Electron for `npm start` without touching what the tests use:
// 1. Electron's own binary (its install script is not allowed to run at npm ci).
// 2. better-sqlite3 built for Electron's ABI into .cache/electron-native/, a copy
//    beside the plain-Node build in node_modules that `npm test` loads.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');
const electronDir = join(root, 'node_modules', 'electron');
const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;

function run(cmd, args, cwd, env = process.env) {
  execFileSync(cmd, args, { cwd, stdio: 'inherit', env });
}

if (!existsSync(join(electronDir, 'path.txt'))) {
  console.log(`Fetching the Electron ${electronVersion} binary…`);
  run(process.execPath, [join(electronDir, 'install.js')], electronDir, { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' });
}

const outDir = join(root, '.cache', 'electron-native');
const stamp = join(outDir, 'stamp.json');
const wanted = JSON.stringify({ electron: electronVersion, arch: process.arch });
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) process.exit(0);

console.log(`Building better-sqlite3 for Electron ${electronVersion} into .cache/electron-native…`);
const source = join(root, 'node_modules', 'better-sqlite3');
const work = join(root, '.cache', 'electron-build', 'better-sqlite3');
rmSync(work, { recursive: true, force: true });
cpSync(source, work, { recursive: true, filter: (p) => !p.includes(`${source}/build`) });
// Node's headers must not be used for Electron's ABI.
const env = { ...process.env, npm_config_nodedir: '' };
const target = ['--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`];
try {
  run(process.execPath, [require.resolve('prebuild-install/bin.js'), ...target], work, env);
} catch {
  run(process.execPath, [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', '--release', ...target,
    '--dist-url=https://electronjs.org/headers'], work, env);
}
mkdirSync(outDir, { recursive: true });
cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), join(outDir, 'better_sqlite3.node'));
writeFileSync(stamp, wanted);
