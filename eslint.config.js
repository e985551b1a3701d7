// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

// Process layering, as in VS Code: code for one process never imports another's.
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodeOnly = ['better-sqlite3', 'sharp', 'piscina', 'fastify', 'chokidar', 'exifr'];
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
    // Main-process code logs through the logger (src/main/logging); the CLI writes to its streams.
    files: ['src/main/**/*.ts'],
    rules: { 'no-console': 'error' },
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
