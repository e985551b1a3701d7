// Preloaded (node --import) into the probe and into each of its worker threads:
// writes one JSON line per module the thread loads to $LOAD_LOG. ES imports come
// from a resolve hook; CommonJS requires (Node 20 has no hook for them) from
// require.cache at exit, with the native libraries mapped into the process.
import { appendFileSync, readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./resolve-hook.mjs', import.meta.url);

const log = process.env.LOAD_LOG;
const requireCache = createRequire(import.meta.url).cache;

process.on('exit', () => {
  const native = readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .map((line) => line.slice(line.indexOf('/')))
    .filter((path) => path.startsWith('/') && /\.node$|libvips/.test(path));
  const lines = [...Object.keys(requireCache), ...new Set(native)].map(
    (path) => JSON.stringify({ url: pathToFileURL(path).href }) + '\n',
  );
  appendFileSync(log, lines.join(''));
});
