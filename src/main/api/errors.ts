import { ZodError } from 'zod';
import type { ApiErrorBody } from '../../shared/contract';
import { DiskFullError, isDiskFullError, TimelapserError, ValidationError } from '../errors';

/** Any error a transport may see, as the spec's error body. */
export function toErrorBody(error: unknown): ApiErrorBody {
  if (error instanceof ZodError) return toErrorBody(zodToValidationError(error));
  if (isDiskFullError(error) && !(error instanceof TimelapserError))
    return toErrorBody(diskFull(error));
  if (error instanceof TimelapserError) {
    return {
      success: false,
      error: error.message,
      status_code: error.statusCode,
      details: { code: error.code, ...error.details },
    };
  }
  const status = httpStatusOf(error);
  if (status !== undefined && status >= 400 && status < 500) {
    // Framework errors (body too large, rate limited, bad JSON) carry their own 4xx status.
    const code = (error as { code?: unknown }).code;
    return {
      success: false,
      error: (error as Error).message,
      status_code: status,
      details: typeof code === 'string' ? { code } : {},
    };
  }
  return {
    success: false,
    error: 'Internal error',
    status_code: 500,
    details: { code: 'internal' },
  };
}

export function zodToValidationError(error: ZodError): ValidationError {
  const issues = error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  const where = first?.path ? ` ${first.path}` : '';
  return new ValidationError(`Invalid argument${where}: ${first?.message ?? 'invalid'}`, {
    issues,
  });
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** A write the database or the file system refused for want of space, in words (507). */
function diskFull(error: unknown): DiskFullError {
  const { code } = error as { code?: string };
  return new DiskFullError(
    "The library's disk is full: nothing was changed. Free some space on it, then try again.",
    { cause: code ?? null },
  );
}
