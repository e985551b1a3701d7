/**
 * Typed errors of the core. Each carries the HTTP status the spec's error shape
 * (`{success:false, error, status_code, details}`) reports, so IPC, HTTP and the
 * CLI turn any of them into the same answer.
 */
export class TimelapserError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly statusCode: number,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends TimelapserError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, 'invalid_argument', 400, details);
  }
}

export class NotFoundError extends TimelapserError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, 'not_found', 404, details);
  }
}

export class ConflictError extends TimelapserError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, 'conflict', 409, details);
  }
}

export class PayloadTooLargeError extends TimelapserError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, 'payload_too_large', 413, details);
  }
}

/** A path that would leave the data root (`..`, absolute, symlink out). */
export class PathOutsideRootError extends TimelapserError {
  constructor(path: string) {
    super('Path is outside the data root', 'path_outside_root', 400, { path });
  }
}

/** A file name that does not follow the spec's naming convention. */
export class FileNameError extends TimelapserError {
  constructor(name: string, reason: string) {
    super(`File name "${name}" does not parse: ${reason}`, 'bad_file_name', 400, { name, reason });
  }
}

/** The database was written by a newer Timelapser than this one. */
export class SchemaVersionError extends TimelapserError {
  constructor(found: number, supported: number) {
    super(
      `Database schema version ${found} is newer than this Timelapser supports (${supported}); upgrade Timelapser`,
      'schema_too_new',
      500,
      { found, supported },
    );
  }
}

/**
 * The disk holding the library is full (or below the free-space minimum):
 * nothing was written, nothing stored is lost; it works again once space is
 * freed. 507 Insufficient Storage, as WebDAV defines it.
 */
export class DiskFullError extends TimelapserError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, 'disk_full', 507, details);
  }
}

/** Error codes that mean "no space left": the OS's and SQLite's (the WAL index could not grow). */
const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL', 'SQLITE_IOERR_SHMSIZE']);

/**
 * Whether `error` says the disk is full: our DiskFullError, a Node or SQLite
 * error with a no-space code, or an error carrying one in its details (the
 * image engine's write failures cross a thread as data).
 */
export function isDiskFullError(error: unknown): boolean {
  if (error instanceof DiskFullError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { code, details } = error as { code?: unknown; details?: { code?: unknown } };
  return DISK_FULL_CODES.has(String(code)) || DISK_FULL_CODES.has(String(details?.code));
}
