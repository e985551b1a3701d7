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
import type { Logger } from '../logging/logger';
import { toErrorBody, zodToValidationError } from './errors';
import type { CallContext } from './handlers/call-context';
import { libraryHandlers } from './handlers/library';
import { maintenanceHandlers } from './handlers/maintenance';
import { systemHandlers } from './handlers/system';
import { videoHandlers } from './handlers/videos';
import type { ImageService } from '../serving/image-service';
import type { VideoFileService } from '../serving/video-file-service';
import { openBatch, type BatchStream } from '../serving/batch';

export type { CallContext } from './handlers/call-context';
export { DATA_URI_PREFIX, type BatchStream } from '../serving/batch';

/** One handler per operation of the contract. */
export type ApiHandlers = {
  [N in OperationName]: (args: ParsedArgs<N>, context: CallContext) => OperationResult<N> | Promise<OperationResult<N>>;
};

export interface Api {
  readonly handlers: ApiHandlers;
  /**
   * Image serving (HTTP routes and the app's protocol), and `images.batch`
   * with its entries read as they are taken, for a streamed response.
   */
  readonly images: Pick<ImageService, 'serve'> & {
    openBatch(args: unknown): BatchStream;
  };
  /** The core's logger, for adapters' own children and errorResponse. */
  readonly log: Logger;
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
  const log = core.log.child({ component: 'api' });
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
    const handler = handlers[name] as (a: unknown, c: CallContext) => OperationResult<N> | Promise<OperationResult<N>>;
    return handler(parse(name, args), context);
  }

  return {
    handlers,
    images: {
      serve: (target, size, ifNoneMatch) => images.serve(target, size, ifNoneMatch),
      openBatch(args) {
        const { ids, size } = parse('images.batch', args);
        return openBatch(core, images, ids, size);
      },
    },
    log: core.log,
    videoFiles,
    call,
    async invoke(name, args) {
      try {
        if (!isOperationName(name)) throw new NotFoundError('Unknown operation', { operation: String(name) });
        return { success: true, data: await call(name, args) };
      } catch (error) {
        return errorResponse(error, log);
      }
    },
  };
}

/** An operation's arguments, validated by its schema; a ValidationError otherwise. */
function parse<N extends OperationName>(name: N, args: unknown): ParsedArgs<N> {
  const parsed = operations[name].args.safeParse(args ?? {});
  if (!parsed.success) throw zodToValidationError(parsed.error);
  return parsed.data as ParsedArgs<N>;
}

/** The spec's error body; unexpected errors are logged here, once, and answered as 500. */
export function errorResponse(error: unknown, log: Logger): ApiErrorBody {
  const body = toErrorBody(error);
  if (body.status_code >= 500 && body.details.code === 'internal') log.error({ err: error }, 'an API operation failed');
  return body;
}
