import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type IpcResult, type TimelapserBridge } from '../shared/ipc';

// Generic on purpose: the contract lives in src/shared, the checks in main.
// Nothing of ipcRenderer itself crosses the bridge.
const bridge: TimelapserBridge = {
  invoke: (operation, args) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, operation, args) as Promise<IpcResult<unknown>>,
  onEvent(listener) {
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
  },
  imageScheme: 'timelapser',
};

contextBridge.exposeInMainWorld('timelapser', bridge);
