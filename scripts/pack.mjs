#!/usr/bin/env node
// Packs the app with electron-builder, then restores the plain-Node build of
// better-sqlite3: electron-builder rebuilds native modules for Electron in
// node_modules, which would leave `npm test` unable to load them.
// Extra arguments go to electron-builder, e.g. `npm run pack -- -c.npmRebuild=false`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

const args = process.argv.slice(2);
let status = run(bin('electron-vite'), ['build']);
if (status === 0) status = run(bin('electron-builder'), ['--linux', 'AppImage', 'deb', ...args]);
// With npmRebuild off nothing was rebuilt, and an offline `npm rebuild` could
// remove the working Node build without making a new one.
const rebuilt = !args.some((arg) => /^(-c|--config)\.npmRebuild=false$/.test(arg));
const restored = rebuilt ? run('npm', ['rebuild', 'better-sqlite3']) : 0;
process.exit(status || restored);
