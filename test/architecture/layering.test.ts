import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The lint rules that keep process layering honest, checked on sample code. */
const eslint = new ESLint();

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('process layering lint rules', () => {
  it('fail when core code imports electron', async () => {
    expect(await ruleIds(`import { app } from 'electron';\nexport const a = app;\n`, 'src/main/queue/sample.ts')).toContain(
      'no-restricted-imports',
    );
  });

  it('let the shell import electron', async () => {
    expect(await ruleIds(`import { app } from 'electron';\nexport const a = app;\n`, 'src/main/shell/sample.ts')).toEqual([]);
  });

  it.each(['node:fs', 'fs', 'path', 'better-sqlite3', 'sharp', 'electron'])(
    'fail when renderer code imports %s',
    async (module) => {
      const ids = await ruleIds(`import x from '${module}';\nexport const a = x;\n`, 'src/renderer/src/sample.ts');
      expect(ids).toContain('no-restricted-imports');
    },
  );

  it('fail when the renderer reaches into main', async () => {
    const ids = await ruleIds(`import { openCore } from '../../main/core';\nexport const a = openCore;\n`, 'src/renderer/src/sample.ts');
    expect(ids).toContain('no-restricted-imports');
  });

  it('fail when main-process code writes to the console instead of the logger', async () => {
    expect(await ruleIds(`console.warn('x');\n`, 'src/main/queue/sample.ts')).toContain('no-console');
    expect(await ruleIds(`console.error('x');\n`, 'src/main/index.ts')).toContain('no-console');
  });

  it('fail when the core reaches into the renderer', async () => {
    const ids = await ruleIds(`import { App } from '../../renderer/src/App';\nexport const a = App;\n`, 'src/main/api/sample.ts');
    expect(ids).toContain('no-restricted-imports');
  });
});
