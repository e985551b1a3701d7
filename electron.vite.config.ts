import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Every main-process entry shares one flat output folder, so a module can find a
// sibling entry (the sharp and checkpoint workers) with `new URL('./x.js', import.meta.url)`.
const flatOutput = { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' };

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          'thumbnail-task': resolve('src/main/imaging/thumbnail-task.ts'),
          'checkpoint-task': resolve('src/main/database/checkpoint-task.ts'),
          cli: resolve('src/main/adapters/cli/index.ts'),
        },
        output: flatOutput,
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // A sandboxed preload cannot be an ES module.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react()],
    build: {
      // Browsers on the LAN download this bundle too (timelapser serve).
      minify: true,
      rollupOptions: {
        input: { index: resolve('src/renderer/index.html') },
      },
    },
  },
});
