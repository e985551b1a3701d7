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
    expect(
      await ruleIds(
        `import { app } from 'electron';\nexport const a = app;\n`,
        'src/main/queue/sample.ts',
      ),
    ).toContain('no-restricted-imports');
  });

  it('let the shell import electron', async () => {
    expect(
      await ruleIds(
        `import { app } from 'electron';\nexport const a = app;\n`,
        'src/main/shell/sample.ts',
      ),
    ).toEqual([]);
  });

  it.each(['node:fs', 'fs', 'path', 'better-sqlite3', 'sharp', 'electron'])(
    'fail when renderer code imports %s',
    async (module) => {
      const ids = await ruleIds(
        `import x from '${module}';\nexport const a = x;\n`,
        'src/renderer/src/sample.ts',
      );
      expect(ids).toContain('no-restricted-imports');
    },
  );

  it('fail when the renderer reaches into main', async () => {
    const ids = await ruleIds(
      `import { openCore } from '../../main/core';\nexport const a = openCore;\n`,
      'src/renderer/src/sample.ts',
    );
    expect(ids).toContain('no-restricted-imports');
  });

  it('fail when main-process code writes to the console instead of the logger', async () => {
    expect(await ruleIds(`console.warn('x');\n`, 'src/main/queue/sample.ts')).toContain(
      'no-console',
    );
    expect(await ruleIds(`console.error('x');\n`, 'src/main/index.ts')).toContain('no-console');
  });

  it('fail when the core reaches into the renderer', async () => {
    const ids = await ruleIds(
      `import { App } from '../../renderer/src/App';\nexport const a = App;\n`,
      'src/main/api/sample.ts',
    );
    expect(ids).toContain('no-restricted-imports');
  });
});

describe('layering inside the core (per-folder allow lists)', () => {
  const probe = (specifier: string) => `import { x } from '${specifier}';\nexport const a = x;\n`;

  it.each([
    [
      'src/main/capture/probe.ts',
      '../queue/thumbnail-job-service',
      'a domain folder into another (capture → queue)',
    ],
    [
      'src/main/queue/probe.ts',
      '../maintenance/thumbnail-service',
      'a domain folder into another (queue → maintenance)',
    ],
    [
      'src/main/ingest/probe.ts',
      '../capture/capture-worker',
      'a domain folder into another (ingest → capture)',
    ],
    [
      'src/main/database/probe.ts',
      '../catalogue/camera-service',
      'the database into a domain folder',
    ],
    [
      'src/main/adapters/http/probe.ts',
      '../../database/connection',
      'an adapter past the API into the database',
    ],
    ['src/main/shell/probe.ts', '../core', 'the shell into the composition root'],
    ['src/main/serving/probe.ts', '../api', 'image serving up into the API'],
    [
      'src/main/video/probe.ts',
      '../queue/thumbnail-worker',
      'a domain folder into another (video → queue)',
    ],
    [
      'src/main/capture/probe.ts',
      '../video/ffmpeg-encoder',
      'a domain folder into another (capture → video)',
    ],
  ])('fail for %s importing %s: %s', async (file, specifier) => {
    expect(await ruleIds(probe(specifier), file)).toContain('local/layers');
  });

  it.each([
    ['src/main/capture/probe.ts', '../catalogue/source-config'],
    ['src/main/ingest/probe.ts', '../imaging/thumbnail-engine'],
    ['src/main/adapters/http/probe.ts', '../../api'],
    ['src/main/queue/probe.ts', '../../shared/contract'],
    ['src/main/core.ts', './maintenance/thumbnail-service'],
    // ffmpeg is found one way, in infrastructure, for the rtsp source and video export alike.
    ['src/main/capture/probe.ts', '../system/ffmpeg'],
    ['src/main/video/probe.ts', '../system/ffmpeg'],
  ])('let %s import %s', async (file, specifier) => {
    expect(await ruleIds(probe(specifier), file)).not.toContain('local/layers');
  });

  it('fail for a file in no layer', async () => {
    expect(await ruleIds('export const a = 1;\n', 'src/main/newfolder/probe.ts')).toContain(
      'local/layers',
    );
  });
});
