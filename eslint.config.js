// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';
import layers from './eslint/layers.js';

// Process layering, as in VS Code: code for one process never imports another's.
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodeOnly = ['better-sqlite3', 'sharp', 'piscina', 'fastify', 'chokidar', 'exifr', 'undici'];
const electronImport = {
  name: 'electron',
  message: 'Only the thin shell (src/main/index.ts, src/main/shell/) may import electron.',
};
const noNodeInBrowser = (where) => ({
  paths: [...nodeBuiltins, ...nodeOnly, 'electron'].map((name) => ({
    name,
    message: `${where} runs in a browser context: no Node built-ins, native modules or electron.`,
  })),
  patterns: [{ group: ['**/main/**', '**/preload/**'], message: `${where} may import only src/shared.` }],
});

// Layering inside the core: what each folder (or top-level file) of src/main may
// import. Infrastructure first, then the catalogue, the five domain folders
// (capture, ingest, queue, maintenance, video: never each other), serving, the
// API, and the adapters, which reach only the API. src/shared is open to all.
const infrastructure = ['errors.ts', 'context.ts', 'logging', 'database', 'files', 'events', 'settings', 'system'];
const CORE_LAYERS = {
  'errors.ts': [],
  'worker-entry.ts': [],
  logging: [],
  database: ['errors.ts', 'logging', 'worker-entry.ts', 'files'],
  files: ['errors.ts'],
  events: ['logging'],
  settings: ['database', 'errors.ts', 'logging'],
  // This machine: its processes (lease owners) and external tools (ffmpeg).
  system: ['errors.ts', 'logging', 'files'],
  'context.ts': ['logging', 'database', 'events', 'files', 'settings'],
  imaging: ['errors.ts', 'logging', 'files', 'worker-entry.ts'],
  catalogue: [...infrastructure],
  capture: [...infrastructure, 'catalogue', 'imaging'],
  ingest: [...infrastructure, 'catalogue', 'imaging'],
  queue: [...infrastructure, 'imaging'],
  maintenance: [...infrastructure, 'imaging'],
  video: [...infrastructure, 'catalogue', 'imaging'],
  serving: [...infrastructure],
  api: [...infrastructure, 'core.ts', 'catalogue', 'serving', 'queue', 'video'],
  'core.ts': [...infrastructure, 'imaging', 'catalogue', 'capture', 'ingest', 'queue', 'maintenance', 'video', 'serving', 'api'],
  'adapters/http': ['api', 'errors.ts', 'logging'],
  'adapters/cli': ['api', 'errors.ts', 'logging', 'adapters/http'],
  shell: ['api', 'errors.ts', 'logging'],
  // The two entry points open the core on a data root.
  'index.ts': ['core.ts', 'api', 'shell', 'files', 'logging'],
  'adapters/cli/index.ts': ['adapters/cli', 'core.ts', 'api', 'files', 'logging'],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/shell/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport],
          patterns: [{ group: ['**/renderer/**', '**/preload/**'], message: 'The core may not import another process\'s code.' }],
        },
      ],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    plugins: { local: { rules: { layers } } },
    rules: {
      'local/layers': ['error', { root: 'src/main', layers: CORE_LAYERS }],
      // Main-process code logs through the logger (src/main/logging); the CLI writes to its streams.
      'no-console': 'error',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', noNodeInBrowser('src/shared')] },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', noNodeInBrowser('The renderer')],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/main/**', '**/renderer/**'], message: 'The preload may import only electron and src/shared.' }] },
      ],
    },
  },
);
