import { z } from 'zod';

/**
 * The words the whole system shares, declared once: where a frame comes from,
 * what state a timelapse and a job are in. The database's CHECK constraints
 * say the same (a test compares them); everything else infers its types here.
 */

/** demo: synthesized frames; http: a snapshot URL; rtsp: a stream through ffmpeg; folder: a watch folder. */
export const sourceTypeSchema = z.enum(['demo', 'http', 'rtsp', 'folder']);
export type SourceType = z.infer<typeof sourceTypeSchema>;
export const SOURCE_TYPES = sourceTypeSchema.options;

export const timelapseStatusSchema = z.enum(['active', 'stopped', 'completed']);
export type TimelapseStatus = z.infer<typeof timelapseStatusSchema>;

/** The spec's priorities: high for manual operations, medium for captures, low for bulk work. */
export const jobPrioritySchema = z.enum(['high', 'medium', 'low']);
export type JobPriority = z.infer<typeof jobPrioritySchema>;
export const JOB_PRIORITIES = jobPrioritySchema.options;

/** The spec's job lifecycle. */
export const jobStatusSchema = z.enum([
  'pending',
  'processing',
  'completed',
  'failed',
  'cancelled',
  'retry',
]);
export type JobStatus = z.infer<typeof jobStatusSchema>;
export const JOB_STATUSES = jobStatusSchema.options;

/** single: one image's job (a capture, a manual request); bulk: part of a regeneration session. */
export const jobTypeSchema = z.enum(['single', 'bulk']);
export type JobType = z.infer<typeof jobTypeSchema>;

/** A regeneration session's life; the API adds 'idle' for "none has run yet". */
export const regenerationSessionStatusSchema = z.enum(['running', 'completed', 'cancelled']);
export type RegenerationSessionStatus = z.infer<typeof regenerationSessionStatusSchema>;

// -- faults: the library's disk and the user's own files

/** What a watch-folder camera does with a file once its frame is safely stored: keep it (a copy) or delete it. */
export const afterIngestSchema = z.enum(['keep', 'delete']);
export type AfterIngest = z.infer<typeof afterIngestSchema>;
export const AFTER_INGEST_CHOICES = afterIngestSchema.options;

/** The library's disk: ok; low: below min_free_space_mb; full: a write failed for want of space. */
export const storageStateSchema = z.enum(['ok', 'low', 'full']);
export type StorageState = z.infer<typeof storageStateSchema>;

/** What became of a file a watch folder offered: its frame was stored, or it was refused. */
export const ingestOutcomeSchema = z.enum(['stored', 'rejected']);
export type IngestOutcomeKind = z.infer<typeof ingestOutcomeSchema>;
