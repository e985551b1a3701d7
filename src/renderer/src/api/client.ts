import type {
  ImageTarget,
  ImageVariant,
  OperationArgs,
  OperationName,
  OperationResult,
  CoreEvent,
} from '../../../shared/contract';
import { httpTransport } from './http-transport';
import { ipcTransport } from './ipc-transport';
import type { ConnectionState, Transport } from './transport';

/** The one client the stores use; typed by the contract, blind to the transport. */
export interface Api {
  call<N extends OperationName>(name: N, ...args: ArgsOf<N>): Promise<OperationResult<N>>;
  subscribe(
    onEvent: (event: CoreEvent) => void,
    onState: (state: ConnectionState) => void,
  ): () => void;
  imageUrl(target: ImageTarget, variant: ImageVariant, version?: string | number): string;
  videoUrl(videoId: number, download?: boolean): string;
}

/** Operations without required arguments may be called without any. */
type ArgsOf<N extends OperationName> =
  Record<string, never> extends OperationArgs<N>
    ? [args?: OperationArgs<N>]
    : [args: OperationArgs<N>];

export function createApi(transport: Transport): Api {
  return {
    call: (name, ...args) => transport.invoke(name, args[0]) as never,
    subscribe: (onEvent, onState) => transport.subscribe(onEvent, onState),
    imageUrl: (target, variant, version) => transport.imageUrl(target, variant, version),
    videoUrl: (videoId, download) => transport.videoUrl(videoId, download),
  };
}

/** IPC inside Electron (the preload bridge exists), HTTP from the page's own origin otherwise. */
export function defaultApi(): Api {
  return createApi(window.timelapser ? ipcTransport(window.timelapser) : httpTransport());
}
