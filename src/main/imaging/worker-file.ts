/**
 * The pool worker's module. Built code: the sibling chunk
 * out/main/thumbnail-task.js (electron-vite emits every main entry into one
 * flat folder). From source (vitest, tsx: this module is a .ts file): a
 * bootstrap that loads thumbnail-task.ts through tsx.
 */
export function thumbnailTaskFile(moduleUrl: string = import.meta.url): string {
  const fromSource = moduleUrl.endsWith('.ts');
  return new URL(fromSource ? './thumbnail-task.dev.mjs' : './thumbnail-task.js', moduleUrl).href;
}
