import { type CoreEvent, imageUrl, videoUrl } from '../../../shared/contract';
import type { TimelapserBridge } from '../../../shared/ipc';
import { unwrap, withVersion, type Transport } from './transport';

/** Inside Electron: operations and events over the preload bridge, images over timelapser://. */
export function ipcTransport(bridge: TimelapserBridge): Transport {
  return {
    async invoke(operation, args) {
      return unwrap(await bridge.invoke(operation, args), 500);
    },
    subscribe(onEvent, onState) {
      // IPC cannot drop while the window lives: the stream is open from the start.
      onState('open');
      return bridge.onEvent((event) => onEvent(event as CoreEvent));
    },
    imageUrl(target, variant, version) {
      return withVersion(imageUrl('scheme', target, variant), version);
    },
    videoUrl(videoId, download) {
      return videoUrl('scheme', videoId, download);
    },
  };
}
