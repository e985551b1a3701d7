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
