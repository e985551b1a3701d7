import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/ipc';
import type { Api } from '../api';
import { errorResponse } from '../api';
import { isTrustedRendererUrl, type RendererLocation } from './renderer-origin';
import { TimelapserError } from '../errors';
import type { EventFeed } from '../api/host';

class UntrustedSenderError extends TimelapserError {
  constructor(url: string | undefined) {
    super('IPC from an untrusted frame', 'untrusted_sender', 403, { url: url ?? null });
  }
}

/**
 * Every operation of the contract over one IPC channel, generically: the API
 * validates arguments; here only the sender is checked (our window's main
 * frame showing our renderer). Every core event goes to the window.
 */
export function registerIpc(api: Api, events: EventFeed, window: BrowserWindow, renderer: RendererLocation): () => void {
  const log = api.log.child({ component: 'shell' });
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event: IpcMainInvokeEvent, operation: unknown, args: unknown) => {
    const url = event.senderFrame?.url;
    if (window.isDestroyed() || event.sender !== window.webContents || !isTrustedRendererUrl(url, renderer)) {
      log.warn({ url: url ?? null, operation: String(operation) }, 'refused IPC from an untrusted frame');
      return errorResponse(new UntrustedSenderError(url), log);
    }
    return api.invoke(operation, args);
  });
  const unsubscribe = events.subscribe((event) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, event);
  });
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    unsubscribe();
  };
}
