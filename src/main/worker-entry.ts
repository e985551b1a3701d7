/**
 * A worker thread's entry module, found beside the module that starts it.
 * Built code: the sibling chunk `<name>.js` (electron-vite emits every main
 * entry into one flat folder). From source (vitest, tsx: the caller is a .ts
 * file): `<name>.dev.mjs`, a bootstrap that loads `<name>.ts` through tsx.
 */
export function workerEntry(name: string, callerUrl: string): string {
  const fromSource = callerUrl.endsWith('.ts');
  return new URL(fromSource ? `./${name}.dev.mjs` : `./${name}.js`, callerUrl).href;
}
