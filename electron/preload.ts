/**
 * Sandboxed preload, bundled to CommonJS (dist/electron/preload.cjs). It exposes one narrow object,
 * `window.otalens`, built by the same createApiClient the tests use; raw ipcRenderer never
 * reaches the page. May import only `electron` and `shared/*`.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { createApiClient, EVENT_CHANNELS, ipcChannel, type InvokeChannel, type Subscribe } from '../shared/api.js';

function invoke(channel: InvokeChannel, ...args: unknown[]): Promise<unknown> {
  return ipcRenderer.invoke(ipcChannel(channel), ...args);
}

const subscribe: Subscribe = (event, listener) => {
  const channel = EVENT_CHANNELS[event];
  // Listeners get the payload only: the IpcRendererEvent would hand the page `event.sender`.
  const forward = (_event: IpcRendererEvent, payload: Parameters<typeof listener>[0]): void => listener(payload);
  ipcRenderer.on(channel, forward);
  return () => {
    ipcRenderer.removeListener(channel, forward);
  };
};

function pathForFile(file: unknown): string {
  try {
    // getPathForFile throws for anything that is not a File; the page gets '' instead.
    return webUtils.getPathForFile(file as File);
  } catch {
    return '';
  }
}

contextBridge.exposeInMainWorld('otalens', createApiClient(invoke, subscribe, pathForFile));
