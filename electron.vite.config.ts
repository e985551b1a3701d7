import { resolve } from 'node:path';
import { defineConfig, MainConfigFactory, type MainViteConfig } from 'electron-vite';
import { build, type Plugin, type Rolldown } from 'vite';
import react from '@vitejs/plugin-react';
import { META_CONTENT_SECURITY_POLICY } from './src/shared/csp';

// Every main-process entry shares one flat output folder, so a module can find a
// sibling entry (the sharp and checkpoint workers) with `new URL('./x.js', import.meta.url)`.
const flatOutput = { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' };

// The worker_threads entries. A packaged app keeps them in app.asar.unpacked
// beside the native modules, and the shared chunks stay inside the asar, so
// each is built on its own into one file that imports only packages.
const workerEntries = {
  'thumbnail-task': resolve('src/main/imaging/thumbnail-task.ts'),
  'checkpoint-task': resolve('src/main/database/checkpoint-task.ts'),
};

const mainBuild: MainViteConfig['build'] = { externalizeDeps: true };

export default defineConfig({
  main: {
    plugins: [selfContainedEntries(workerEntries)],
    build: {
      ...mainBuild,
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
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
    plugins: [react(), contentSecurityPolicyMeta()],
    build: {
      // Browsers on the LAN download this bundle too (timelapser serve).
      minify: true,
      rollupOptions: {
        input: { index: resolve('src/renderer/index.html') },
      },
    },
  },
});

/**
 * Emits each entry as `<name>.js` beside the main build's own, bundled by a
 * separate build with the same electron-vite main preset and no code
 * splitting (what electron-vite does for `?modulePath` imports, kept here so
 * the file name stays fixed for workerEntry()).
 */
function selfContainedEntries(entries: Record<string, string>): Plugin {
  let mode: string | undefined;
  return {
    name: 'timelapser:self-contained-entries',
    apply: 'build',
    configResolved(config) {
      mode = config.mode;
    },
    async buildStart() {
      for (const [name, input] of Object.entries(entries)) {
        const config = await new MainConfigFactory(
          {
            logLevel: 'warn',
            build: {
              ...mainBuild,
              write: false,
              rollupOptions: { input, output: { codeSplitting: false } },
            },
          },
          { configFile: false, mode },
          {},
        ).build(true);
        const [chunk] = ((await build(config)) as Rolldown.RolldownOutput).output;
        for (const id of chunk.moduleIds) if (!id.startsWith('\0')) this.addWatchFile(id);
        this.emitFile({ type: 'asset', fileName: `${name}.js`, source: chunk.code });
      }
    },
  };
}

/** Writes the shared Content-Security-Policy into index.html's meta tag. */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'timelapser-csp-meta',
    transformIndexHtml: (html) => html.replace('%CONTENT_SECURITY_POLICY%', META_CONTENT_SECURITY_POLICY),
  };
}
