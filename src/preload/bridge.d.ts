import type { TimelapserBridge } from '../shared/ipc';

declare global {
  interface Window {
    /** Present inside the Electron app; absent in a browser (then the HTTP client is used). */
    timelapser?: TimelapserBridge;
  }
}
