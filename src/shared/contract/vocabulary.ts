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

// -- camera setup (issue 17)
/** How an http camera proves who asks: auto answers the camera's challenge (basic or digest); digest never sends the password itself. */
export const httpAuthSchema = z.enum(['auto', 'basic', 'digest']);
export type HttpAuth = z.infer<typeof httpAuthSchema>;
/** How ffmpeg carries an RTSP stream: tcp (through firewalls, no lost packets) or udp. */
export const rtspTransportSchema = z.enum(['tcp', 'udp']);
export type RtspTransport = z.infer<typeof rtspTransportSchema>;

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

/**
 * Why a file is not a camera frame at all: the image check refuses it. Empty,
 * not an image, cut off mid-write, damaged entropy data (libjpeg's
 * warnings), or over the pixel or byte limit; missing when the file is gone.
 */
export const frameDefectSchema = z.enum([
  'missing',
  'empty',
  'not_an_image',
  'truncated',
  'corrupt_data',
  'too_large',
]);
export type FrameDefect = z.infer<typeof frameDefectSchema>;

/**
 * Why a real frame looks wrong: a flat "no signal" screen, or smaller than a
 * camera frame. Such frames are kept and flagged (setting flagged_frames).
 */
export const frameFlagSchema = z.enum(['uniform', 'too_small']);
export type FrameFlag = z.infer<typeof frameFlagSchema>;
export const FRAME_FLAGS = frameFlagSchema.options;

/**
 * Every reason a frame is turned away, as a camera's rejection log records
 * it: a defect; a flag when flagged_frames is discard; the same picture the
 * camera already has (duplicate); and import's own (before the session
 * started, the file unreadable).
 */
export const frameRejectionReasonSchema = z.enum([
  ...frameDefectSchema.options,
  ...frameFlagSchema.options,
  'duplicate',
  'before_timelapse_start',
  'unreadable',
]);
export type FrameRejectionReason = z.infer<typeof frameRejectionReasonSchema>;

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

/** A rendered video's life: queued, rendering (one at a time), then one of the three ends. */
export const videoStatusSchema = z.enum([
  'queued',
  'rendering',
  'completed',
  'failed',
  'cancelled',
]);
export type VideoStatus = z.infer<typeof videoStatusSchema>;
export const VIDEO_STATUSES = videoStatusSchema.options;

/** full: the frames' own size; 1080p: fitted into 1920×1080; small: the smalls' 800×600 box. */
export const videoSizeSchema = z.enum(['full', '1080p', 'small']);
export type VideoSize = z.infer<typeof videoSizeSchema>;
export const VIDEO_SIZES = videoSizeSchema.options;
