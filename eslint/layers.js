// @ts-check
import { dirname, relative, resolve, sep } from 'node:path';

/**
 * Layering inside the core, as VS Code's code-import-patterns does it: each
 * layer (a folder or a file under src/main) lists the layers it may import;
 * an import of any other layer is an error. Only relative imports are
 * checked (packages and other processes have their own rules).
 *
 * Options: { root: 'src/main', layers: { '<layer>': ['<layer it may import>', …] } }.
 * A layer is a path relative to root ('queue', 'adapters/http', 'core.ts');
 * the longest layer that contains a file is its layer. Code outside root is
 * not a layer: importing it (src/shared) is always allowed.
 */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Restrict imports between the layers of the core to allow lists' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          layers: {
            type: 'object',
            additionalProperties: { type: 'array', items: { type: 'string' } },
          },
        },
        required: ['root', 'layers'],
        additionalProperties: false,
      },
    ],
    messages: {
      forbidden:
        '{{from}} may not import {{to}} ({{specifier}}). Allowed from {{from}}: {{allowed}}. See the layers in eslint.config.js.',
      unknown: '{{file}} is in no layer of eslint.config.js: add its folder with an allow list.',
    },
  },
  create(context) {
    const { root, layers } = context.options[0];
    const rootDir = resolve(context.cwd, root);
    const names = Object.keys(layers).sort((a, b) => b.length - a.length);
    // Import specifiers omit the extension: compare paths without it.
    const bare = (/** @type {string} */ path) => path.replace(/\.(ts|tsx|mjs|js)$/, '');
    const layerOf = (/** @type {string} */ file) => {
      const path = bare(relative(rootDir, file).split(sep).join('/'));
      if (path.startsWith('..')) return undefined;
      return names.find((name) => path === bare(name) || path.startsWith(`${name}/`)) ?? null;
    };
    const from = layerOf(context.filename);
    if (from === undefined) return {};
    const check = (/** @type {any} */ node) => {
      const specifier = node?.value;
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const to = layerOf(resolve(dirname(context.filename), specifier));
      if (to === undefined || to === from) return;
      const allowed = from === null ? [] : layers[from];
      if (to !== null && allowed.includes(to)) return;
      context.report({
        node,
        messageId: 'forbidden',
        data: {
          from: from ?? 'this file',
          to: to ?? specifier,
          specifier,
          allowed: allowed.join(', ') || 'nothing',
        },
      });
    };
    return {
      Program(node) {
        if (from === null)
          context.report({
            node,
            messageId: 'unknown',
            data: { file: relative(context.cwd, context.filename) },
          });
      },
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};
