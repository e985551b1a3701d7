import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { closeDatabase, openDatabase } from '../../src/main/database/connection';
import {
  frameFlagSchema,
  ingestOutcomeSchema,
  jobPrioritySchema,
  jobStatusSchema,
  jobTypeSchema,
  regenerationSessionStatusSchema,
  sourceTypeSchema,
  timelapseStatusSchema,
  videoSizeSchema,
  videoStatusSchema,
} from '../../src/shared/contract';
import { useTempDir } from '../helpers/temp-library';

/** Each column whose CHECK lists the words of one vocabulary schema. */
const COLUMNS: [table: string, column: string, schema: z.ZodEnum][] = [
  ['cameras', 'source_type', sourceTypeSchema],
  ['timelapses', 'status', timelapseStatusSchema],
  ['thumbnail_generation_jobs', 'priority', jobPrioritySchema],
  ['thumbnail_generation_jobs', 'status', jobStatusSchema],
  ['thumbnail_generation_jobs', 'job_type', jobTypeSchema],
  ['regeneration_sessions', 'status', regenerationSessionStatusSchema],
  ['images', 'flag_reason', frameFlagSchema],
  ['ingested_files', 'outcome', ingestOutcomeSchema],
  ['videos', 'status', videoStatusSchema],
  ['videos', 'size', videoSizeSchema],
];

describe('the shared vocabulary and the schema', () => {
  const dir = useTempDir();

  it.each(COLUMNS)(
    '%s.%s CHECKs exactly the words the contract declares',
    (table, column, schema) => {
      const db = openDatabase(join(dir.path, 'vocabulary.db'));
      try {
        const sql = db
          .prepare<[string], string>(
            `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`,
          )
          .pluck()
          .get(table)!;
        const check = new RegExp(`CHECK\\s*\\(\\s*${column}\\s+IN\\s*\\(([^)]*)\\)\\s*\\)`).exec(
          sql,
        );
        expect(check, `${table}.${column} has a CHECK (… IN (…))`).not.toBeNull();
        const words = check![1]!.split(',').map((word) => word.trim().replace(/^'|'$/g, ''));
        expect([...words].sort()).toEqual([...schema.options].sort());
      } finally {
        closeDatabase(db);
      }
    },
  );
});
