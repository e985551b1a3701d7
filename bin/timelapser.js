#!/usr/bin/env node
// The `timelapser` command: runs the built CLI (electron-vite build → out/main/cli.js).
import { existsSync } from 'node:fs';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('timelapser: the CLI is not built yet; run "npm run build" first.\n');
  process.exit(2);
}
await import(cli.href);
