import {
  isOperationName,
  type ApiErrorBody,
  operations,
  type ApiResponse,
  type OperationName,
  type OperationResult,
  type ParsedArgs,
} from '../../shared/contract';
import { NotFoundError } from '../errors';
import type { Core } from '../core';
import { toErrorBody, zodToValidationError } from './errors';
import type { CallContext } from './handlers/call-context';
import { libraryHandlers } from './handlers/library';
import { maintenanceHandlers } from './handlers/maintenance';
import { systemHandlers } from './handlers/system';
import { videoHandlers } from './handlers/videos';
import type { ImageService } from '../serving/image-service';
import type { VideoFileService } from '../serving/video-file-service';

export type { CallContext } from './handlers/call-context';

/** One handler per operation of the contract. */
export type ApiHandlers = {
  [N in OperationName]: (args: ParsedArgs<N>, context: CallContext) => OperationResult<N> | Promise<OperationResult<N>>;
};

export interface Api {
  readonly handlers: ApiHandlers;
  /** Image serving (HTTP routes and the app's protocol). */
  readonly images: Pick<ImageService, 'serve'>;
  /** Rendered videos' files, with byte ranges (HTTP routes and the app's protocol). */
  readonly videoFiles: Pick<VideoFileService, 'serve'>;
  /** Validates `args` with the operation's schema and runs it; throws typed errors. */
  call<N extends OperationName>(name: N, args?: unknown, context?: CallContext): Promise<OperationResult<N>>;
  /** Like call, for any name from the wire, answering the spec's envelope; never throws. */
  invoke(name: unknown, args?: unknown): Promise<ApiResponse<unknown>>;
}

/** The one implementation of the contract over the core; IPC, HTTP and the CLI all call this. */
export function createApi(core: Core): Api {
  const { images, videoFiles } = core;
  const handlers: ApiHandlers = {
    ...libraryHandlers(core, images),
    ...maintenanceHandlers(core),
    ...systemHandlers(core),
    ...videoHandlers(core),
  };

  async function call<N extends OperationName>(
    name: N,
    args: unknown = {},
    context: CallContext = {},
  ): Promise<OperationResult<N>> {
    const parsed = operations[name].args.safeParse(args ?? {});
    if (!parsed.success) throw zodToValidationError(parsed.error);
    const handler = handlers[name] as (a: unknown, c: CallContext) => OperationResult<N> | Promise<OperationResult<N>>;
    return handler(parsed.data, context);
  }

  return {
    handlers,
    images,
    videoFiles,
    call,
    async invoke(name, args) {
      try {
        if (!isOperationName(name)) throw new NotFoundError('Unknown operation', { operation: String(name) });
        return { success: true, data: await call(name, args) };
      } catch (error) {
        return errorResponse(error);
      }
    },
  };
}

/** The spec's error body; unexpected errors are logged here, once, and answered as 500. */
export function errorResponse(error: unknown): ApiErrorBody {
  const body = toErrorBody(error);
  if (body.status_code >= 500 && body.details.code === 'internal') console.error('API operation failed:', error);
  return body;
}
