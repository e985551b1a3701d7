import { z } from 'zod';
import { sourceTypeSchema } from './vocabulary';

/**
 * The parts operations' argument schemas are made of. Ids and flags also
 * accept their query-string spelling ("12", "true"), so one schema serves a
 * JSON body, a query string and an IPC call alike.
 */

/** A positive integer id, as a number or its decimal string. */
export const idSchema = z.union(
  [
    z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    z
      .string()
      .regex(/^[1-9]\d{0,14}$/, 'expected a positive integer id')
      .transform(Number),
  ],
  { error: 'expected a positive integer id' },
);

/** A boolean, or "true"/"false"/"1"/"0"/"yes"/"no" from a query string. */
export const flagSchema = z.union([z.boolean(), z.stringbool()], {
  error: 'expected true or false',
});

/** A non-negative integer, or its decimal string. */
export const countSchema = z.union(
  [
    z.number().int().min(0),
    z
      .string()
      .regex(/^\d{1,9}$/, 'expected a non-negative integer')
      .transform(Number),
  ],
  { error: 'expected a non-negative integer' },
);

/** Most ids one batch request may name; more is 413 (Payload Too Large). */
export const MAX_BATCH_IDS = 200;

/** "1,2,3" or [1,2,3]; the 200-id limit is checked by the handler so it answers 413, not 400. */
export const idListSchema = z.union([
  z.array(idSchema),
  z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    )
    .pipe(z.array(idSchema.options[1])),
]);

/** A camera's fields as `cameras.create` takes them. */
export const cameraFields = {
  name: z.string().trim().min(1).max(100),
  source_type: sourceTypeSchema,
  source_url: z.string().max(2048).nullable().optional(),
  source_options: z.record(z.string(), z.unknown()).optional(),
  capture_interval_s: z.number().int().min(1).max(86_400).optional(),
  generate_thumbnails: z.boolean().optional(),
  enabled: z.boolean().optional(),
  group: z.string().trim().max(50).nullable().optional(),
};

/** What `cameras.test` takes: a camera's source as the form has it; `camera_id` stands for the stored password behind a mask. */
export const cameraSourceFields = {
  camera_id: idSchema.optional(),
  source_type: sourceTypeSchema,
  source_url: cameraFields.source_url,
  source_options: cameraFields.source_options,
  preview: flagSchema.optional(),
};

export const none = z.object({}).strict();
export const cameraRef = z.object({ camera_id: idSchema }).strict();
export const timelapseRef = z.object({ timelapse_id: idSchema }).strict();
export const imageRef = z.object({ image_id: idSchema }).strict();
export const videoRef = z.object({ video_id: idSchema }).strict();
