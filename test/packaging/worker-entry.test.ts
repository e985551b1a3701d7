import { describe, expect, it } from 'vitest';
import { workerEntry } from '../../src/main/worker-entry';

describe('workerEntry', () => {
  it('finds the built sibling, in a packaged app its app.asar.unpacked copy', () => {
    expect(workerEntry('thumbnail-task', 'file:///work/out/main/index.js')).toBe(
      'file:///work/out/main/thumbnail-task.js',
    );
    expect(
      workerEntry('thumbnail-task', 'file:///opt/Timelapser/resources/app.asar/out/main/index.js'),
    ).toBe('file:///opt/Timelapser/resources/app.asar.unpacked/out/main/thumbnail-task.js');
  });

  it('loads the tsx bootstrap when the caller runs from source', () => {
    expect(workerEntry('checkpoint-task', 'file:///work/src/main/database/checkpointer.ts')).toBe(
      'file:///work/src/main/database/checkpoint-task.dev.mjs',
    );
  });
});
