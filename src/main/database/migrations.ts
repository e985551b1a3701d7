import type { Database } from 'better-sqlite3';
import { SchemaVersionError } from '../errors';

/**
 * Versioned migrations, tracked in PRAGMA user_version. Each runs in its own
 * transaction; append new ones, never edit a released one.
 */
const MIGRATIONS: readonly string[] = [
  /* 1: the spec's entities, the job queue, settings and regeneration sessions */ `
  CREATE TABLE cameras (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    source_type TEXT NOT NULL DEFAULT 'demo' CHECK (source_type IN ('demo','http','rtsp','folder')),
    source_url TEXT,
    source_options TEXT NOT NULL DEFAULT '{}',
    capture_interval_s INTEGER NOT NULL DEFAULT 60 CHECK (capture_interval_s > 0),
    generate_thumbnails INTEGER NOT NULL DEFAULT 1 CHECK (generate_thumbnails IN (0,1)),
    enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1)),
    last_capture_at INTEGER,
    last_error TEXT,
    rejected_frames INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE timelapses (
    id INTEGER PRIMARY KEY,
    camera_id INTEGER NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','stopped','completed')),
    started_at INTEGER NOT NULL,
    completed_at INTEGER,
    image_count INTEGER NOT NULL DEFAULT 0,
    thumbnail_count INTEGER NOT NULL DEFAULT 0,
    small_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX idx_timelapses_camera ON timelapses(camera_id);
  CREATE UNIQUE INDEX idx_timelapses_one_active ON timelapses(camera_id) WHERE status = 'active';

  CREATE TABLE images (
    id INTEGER PRIMARY KEY,
    timelapse_id INTEGER NOT NULL REFERENCES timelapses(id) ON DELETE CASCADE,
    camera_id INTEGER NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
    file_path TEXT NOT NULL,
    captured_at INTEGER NOT NULL,
    day_number INTEGER NOT NULL CHECK (day_number >= 1),
    clock TEXT NOT NULL CHECK (length(clock) = 6),
    seq INTEGER NOT NULL DEFAULT 0,
    file_size INTEGER NOT NULL DEFAULT 0,
    width INTEGER,
    height INTEGER,
    corruption_score REAL,
    thumbnail_path TEXT,
    small_path TEXT,
    thumbnail_size INTEGER,
    small_size INTEGER,
    created_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX idx_images_name ON images(timelapse_id, day_number, clock, seq);
  CREATE INDEX idx_images_timelapse_captured ON images(timelapse_id, captured_at);
  CREATE INDEX idx_images_camera_captured ON images(camera_id, captured_at);
  CREATE INDEX idx_images_missing_thumbnail ON images(id) WHERE thumbnail_path IS NULL;
  CREATE INDEX idx_images_with_small ON images(timelapse_id) WHERE small_path IS NOT NULL;

  -- thumbnail_count / small_count always equal the images with a non-null path,
  -- whichever code path writes: the database keeps the invariant itself.
  CREATE TRIGGER images_counts_insert AFTER INSERT ON images BEGIN
    UPDATE timelapses SET
      image_count = image_count + 1,
      thumbnail_count = thumbnail_count + (NEW.thumbnail_path IS NOT NULL),
      small_count = small_count + (NEW.small_path IS NOT NULL)
    WHERE id = NEW.timelapse_id;
  END;
  CREATE TRIGGER images_counts_delete AFTER DELETE ON images BEGIN
    UPDATE timelapses SET
      image_count = image_count - 1,
      thumbnail_count = thumbnail_count - (OLD.thumbnail_path IS NOT NULL),
      small_count = small_count - (OLD.small_path IS NOT NULL)
    WHERE id = OLD.timelapse_id;
  END;
  CREATE TRIGGER images_counts_update AFTER UPDATE OF thumbnail_path, small_path, timelapse_id ON images BEGIN
    UPDATE timelapses SET
      image_count = image_count - 1,
      thumbnail_count = thumbnail_count - (OLD.thumbnail_path IS NOT NULL),
      small_count = small_count - (OLD.small_path IS NOT NULL)
    WHERE id = OLD.timelapse_id;
    UPDATE timelapses SET
      image_count = image_count + 1,
      thumbnail_count = thumbnail_count + (NEW.thumbnail_path IS NOT NULL),
      small_count = small_count + (NEW.small_path IS NOT NULL)
    WHERE id = NEW.timelapse_id;
  END;

  CREATE TABLE regeneration_sessions (
    id INTEGER PRIMARY KEY,
    timelapse_id INTEGER REFERENCES timelapses(id) ON DELETE CASCADE,
    force_regenerate INTEGER NOT NULL DEFAULT 1,
    include_smalls INTEGER NOT NULL DEFAULT 1,
    status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running','completed','cancelled')),
    total INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER NOT NULL,
    finished_at INTEGER
  );
  CREATE UNIQUE INDEX idx_regeneration_one_running ON regeneration_sessions(status) WHERE status = 'running';

  -- The spec's table, plus what retries (next_attempt_at), leases and bulk
  -- sessions need. Times are epoch milliseconds.
  CREATE TABLE thumbnail_generation_jobs (
    id INTEGER PRIMARY KEY,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('high','medium','low')),
    priority_rank INTEGER GENERATED ALWAYS AS (CASE priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END) VIRTUAL,
    status TEXT NOT NULL DEFAULT 'pending'
      CHECK (status IN ('pending','processing','completed','failed','cancelled','retry')),
    job_type TEXT NOT NULL DEFAULT 'single' CHECK (job_type IN ('single','bulk')),
    session_id INTEGER REFERENCES regeneration_sessions(id) ON DELETE SET NULL,
    force_regenerate INTEGER NOT NULL DEFAULT 0,
    include_smalls INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    completed_at INTEGER,
    error_message TEXT,
    processing_time_ms INTEGER,
    retry_count INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_owner TEXT,
    lease_expires_at INTEGER,
    -- Claim order: by priority, but a bulk job ranks two steps below its priority,
    -- so a medium capture job is never starved behind a 100k-job regeneration.
    claim_rank INTEGER GENERATED ALWAYS AS (priority_rank + 2 * (job_type = 'bulk')) VIRTUAL
  );
  CREATE INDEX idx_thumbnail_jobs_status_priority ON thumbnail_generation_jobs(status, priority, created_at);
  CREATE INDEX idx_thumbnail_jobs_image_id ON thumbnail_generation_jobs(image_id);
  CREATE UNIQUE INDEX idx_thumbnail_jobs_one_live ON thumbnail_generation_jobs(image_id)
    WHERE status IN ('pending','processing','retry');
  CREATE INDEX idx_thumbnail_jobs_claim ON thumbnail_generation_jobs(claim_rank, id)
    WHERE status IN ('pending','retry');
  CREATE INDEX idx_thumbnail_jobs_lease ON thumbnail_generation_jobs(lease_expires_at)
    WHERE status = 'processing';
  CREATE INDEX idx_thumbnail_jobs_session ON thumbnail_generation_jobs(session_id, status)
    WHERE session_id IS NOT NULL;
  CREATE INDEX idx_thumbnail_jobs_finished ON thumbnail_generation_jobs(completed_at)
    WHERE status IN ('completed','failed','cancelled');

  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  /* 2: maintenance. Byte totals per timelapse kept by the same triggers as the
     counts (statistics in O(timelapses)), and a regeneration session's queueing
     cursor, so a session survives a restart mid-queueing. */ `
  ALTER TABLE timelapses ADD COLUMN thumbnail_bytes INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE timelapses ADD COLUMN small_bytes INTEGER NOT NULL DEFAULT 0;
  UPDATE timelapses SET
    thumbnail_bytes = (SELECT coalesce(sum(thumbnail_size), 0) FROM images
                       WHERE timelapse_id = timelapses.id AND thumbnail_path IS NOT NULL),
    small_bytes = (SELECT coalesce(sum(small_size), 0) FROM images
                   WHERE timelapse_id = timelapses.id AND small_path IS NOT NULL);

  DROP TRIGGER images_counts_insert;
  DROP TRIGGER images_counts_delete;
  DROP TRIGGER images_counts_update;
  CREATE TRIGGER images_counts_insert AFTER INSERT ON images BEGIN
    UPDATE timelapses SET
      image_count = image_count + 1,
      thumbnail_count = thumbnail_count + (NEW.thumbnail_path IS NOT NULL),
      small_count = small_count + (NEW.small_path IS NOT NULL),
      thumbnail_bytes = thumbnail_bytes + (NEW.thumbnail_path IS NOT NULL) * coalesce(NEW.thumbnail_size, 0),
      small_bytes = small_bytes + (NEW.small_path IS NOT NULL) * coalesce(NEW.small_size, 0)
    WHERE id = NEW.timelapse_id;
  END;
  CREATE TRIGGER images_counts_delete AFTER DELETE ON images BEGIN
    UPDATE timelapses SET
      image_count = image_count - 1,
      thumbnail_count = thumbnail_count - (OLD.thumbnail_path IS NOT NULL),
      small_count = small_count - (OLD.small_path IS NOT NULL),
      thumbnail_bytes = thumbnail_bytes - (OLD.thumbnail_path IS NOT NULL) * coalesce(OLD.thumbnail_size, 0),
      small_bytes = small_bytes - (OLD.small_path IS NOT NULL) * coalesce(OLD.small_size, 0)
    WHERE id = OLD.timelapse_id;
  END;
  CREATE TRIGGER images_counts_update
  AFTER UPDATE OF thumbnail_path, small_path, thumbnail_size, small_size, timelapse_id ON images BEGIN
    UPDATE timelapses SET
      image_count = image_count - 1,
      thumbnail_count = thumbnail_count - (OLD.thumbnail_path IS NOT NULL),
      small_count = small_count - (OLD.small_path IS NOT NULL),
      thumbnail_bytes = thumbnail_bytes - (OLD.thumbnail_path IS NOT NULL) * coalesce(OLD.thumbnail_size, 0),
      small_bytes = small_bytes - (OLD.small_path IS NOT NULL) * coalesce(OLD.small_size, 0)
    WHERE id = OLD.timelapse_id;
    UPDATE timelapses SET
      image_count = image_count + 1,
      thumbnail_count = thumbnail_count + (NEW.thumbnail_path IS NOT NULL),
      small_count = small_count + (NEW.small_path IS NOT NULL),
      thumbnail_bytes = thumbnail_bytes + (NEW.thumbnail_path IS NOT NULL) * coalesce(NEW.thumbnail_size, 0),
      small_bytes = small_bytes + (NEW.small_path IS NOT NULL) * coalesce(NEW.small_size, 0)
    WHERE id = NEW.timelapse_id;
  END;

  -- queue_cursor: the highest image id visited; queue_done: every image visited.
  ALTER TABLE regeneration_sessions ADD COLUMN queue_cursor INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE regeneration_sessions ADD COLUMN queue_done INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE regeneration_sessions ADD COLUMN image_limit INTEGER;
  UPDATE regeneration_sessions SET queue_done = 1;
  `,
  /* 3: counts and bytes of a timelapse's thumbnails and smalls read from small
     partial indexes, so verify rewrites them without reading every row. */ `
  CREATE INDEX idx_images_thumbnail_bytes ON images(timelapse_id, thumbnail_size) WHERE thumbnail_path IS NOT NULL;
  CREATE INDEX idx_images_small_bytes ON images(timelapse_id, small_size) WHERE small_path IS NOT NULL;
  `,
  /* 4: regeneration in a window. A session knows its images up front (total,
     up to max_image_id) and how many jobs it queued so far; finished jobs are
     counted per status over the last 24 h without reading the rows. */ `
  ALTER TABLE regeneration_sessions ADD COLUMN queued INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE regeneration_sessions ADD COLUMN max_image_id INTEGER;
  UPDATE regeneration_sessions SET queued = total;
  CREATE INDEX idx_thumbnail_jobs_finished_status ON thumbnail_generation_jobs(status, completed_at)
    WHERE status IN ('completed','failed');
  `,
  /* 5: every real frame is kept. A frame that looks wrong is stored with why
     (is_flagged derives from flag_reason, so the two never disagree); every
     frame carries the SHA-256 of its bytes, unique per camera, so the same
     picture is stored once even when two imports of one folder race (a
     camera's picture is one moment of it, whichever session holds it; two
     cameras may send equal pictures). Refusals are kept, the latest 500 per
     camera, and counted since the camera's last stored frame. */ `
  ALTER TABLE images ADD COLUMN flag_reason TEXT CHECK (flag_reason IN ('uniform','too_small'));
  ALTER TABLE images ADD COLUMN is_flagged INTEGER GENERATED ALWAYS AS (flag_reason IS NOT NULL) VIRTUAL;
  ALTER TABLE images ADD COLUMN content_hash BLOB;
  CREATE UNIQUE INDEX idx_images_content_hash ON images(camera_id, content_hash)
    WHERE content_hash IS NOT NULL;
  CREATE INDEX idx_images_flagged ON images(timelapse_id, id) WHERE flag_reason IS NOT NULL;

  ALTER TABLE cameras ADD COLUMN rejections_since_frame INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE frame_rejections (
    id INTEGER PRIMARY KEY,
    camera_id INTEGER NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
    rejected_at INTEGER NOT NULL,
    -- The file name or the camera's URL (password masked).
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    message TEXT NOT NULL,
    byte_size INTEGER
  );
  CREATE INDEX idx_frame_rejections_camera ON frame_rejections(camera_id, id);
  `,
  /* 6: maintenance that every process obeys and remembers. The queue's pause
     is one row every claim reads, so `jobs run` and a second app stop claiming
     the moment it commits; the library census (orphans and disk use measured
     from the tree) is kept, so a one-shot CLI and a restarted app show the last
     scan and its time instead of zeros. */ `
  CREATE TABLE queue_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    paused_at INTEGER,
    paused_by TEXT
  );
  INSERT INTO queue_state (id) VALUES (1);
  -- report: the last scan's JSON; changed_at: when a maintenance action last
  -- changed the tree (in any process): a report started before it is stale.
  CREATE TABLE library_census (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    started_at INTEGER,
    finished_at INTEGER,
    report TEXT,
    changed_at INTEGER
  );
  INSERT INTO library_census (id) VALUES (1);
  `,
  /* 7: the wall's order and optional group of each camera, and the
     bytes of a timelapse's frames, kept by triggers of their own beside the
     count triggers, so a camera page shows sizes without summing images. */ `
  ALTER TABLE cameras ADD COLUMN sort_order INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE cameras ADD COLUMN group_name TEXT;
  UPDATE cameras SET sort_order = id;
  ALTER TABLE timelapses ADD COLUMN frame_bytes INTEGER NOT NULL DEFAULT 0;
  UPDATE timelapses SET frame_bytes = (SELECT coalesce(sum(file_size), 0) FROM images WHERE timelapse_id = timelapses.id);
  CREATE TRIGGER images_frame_bytes_insert AFTER INSERT ON images BEGIN
    UPDATE timelapses SET frame_bytes = frame_bytes + NEW.file_size WHERE id = NEW.timelapse_id;
  END;
  CREATE TRIGGER images_frame_bytes_delete AFTER DELETE ON images BEGIN
    UPDATE timelapses SET frame_bytes = frame_bytes - OLD.file_size WHERE id = OLD.timelapse_id;
  END;
  CREATE TRIGGER images_frame_bytes_update AFTER UPDATE OF file_size, timelapse_id ON images BEGIN
    UPDATE timelapses SET frame_bytes = frame_bytes - OLD.file_size WHERE id = OLD.timelapse_id;
    UPDATE timelapses SET frame_bytes = frame_bytes + NEW.file_size WHERE id = NEW.timelapse_id;
  END;
  `,
  /* 8: faults survived. A watch folder is copied, not emptied: the files a
     folder camera took (or refused), by path, size and modification time, so a
     restart does not take them again. Regeneration sessions are owned like
     jobs (owner + lease): a session whose owner died is taken over or settled. */ `
  CREATE TABLE ingested_files (
    id INTEGER PRIMARY KEY,
    camera_id INTEGER NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('stored','rejected')),
    image_id INTEGER REFERENCES images(id) ON DELETE SET NULL,
    ingested_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX idx_ingested_files_key ON ingested_files(camera_id, path, size, mtime_ms);
  CREATE INDEX idx_ingested_files_image ON ingested_files(image_id) WHERE image_id IS NOT NULL;

  ALTER TABLE regeneration_sessions ADD COLUMN owner TEXT;
  ALTER TABLE regeneration_sessions ADD COLUMN lease_expires_at INTEGER;
  `,
  /* 9: videos, the spec's videos.timelapse_id → timelapses.id. One row is both the
     render job (status, progress, the process rendering it) and its result, a
     file in the timelapse's videos/ folder under file_path once completed. */ `
  CREATE TABLE videos (
    id INTEGER PRIMARY KEY,
    timelapse_id INTEGER NOT NULL REFERENCES timelapses(id) ON DELETE CASCADE,
    file_path TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued'
      CHECK (status IN ('queued','rendering','completed','failed','cancelled')),
    size TEXT NOT NULL CHECK (size IN ('full','1080p','small')),
    fps INTEGER NOT NULL CHECK (fps BETWEEN 1 AND 60),
    from_day INTEGER,
    to_day INTEGER,
    frame_count INTEGER NOT NULL DEFAULT 0,
    frames_done INTEGER NOT NULL DEFAULT 0,
    width INTEGER,
    height INTEGER,
    file_size INTEGER,
    error_message TEXT,
    owner TEXT,
    heartbeat_at INTEGER,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER
  );
  CREATE UNIQUE INDEX idx_videos_file ON videos(file_path);
  CREATE INDEX idx_videos_timelapse ON videos(timelapse_id);
  CREATE INDEX idx_videos_live ON videos(status, id) WHERE status IN ('queued','rendering');
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to SCHEMA_VERSION; refuses one written by a newer version. */
export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new SchemaVersionError(current, SCHEMA_VERSION);
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
