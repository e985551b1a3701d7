/**
 * A worker thread's entry module, found beside the module that starts it.
 * Built code: the sibling chunk `<name>.js` (electron-vite emits every main
 * entry into one flat folder); in a packaged app, its copy in
 * app.asar.unpacked, beside the native modules it loads. From source (vitest,
 * tsx: the caller is a .ts file): `<name>.dev.mjs`, a bootstrap that loads
 * `<name>.ts` through tsx.
 */
export function workerEntry(name: string, callerUrl: string): string {
  const fromSource = callerUrl.endsWith('.ts');
  const entry = new URL(fromSource ? `./${name}.dev.mjs` : `./${name}.js`, callerUrl).href;
  return entry.replace('/app.asar/', '/app.asar.unpacked/');
}
