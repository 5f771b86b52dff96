/**
 * Sandboxed preload, bundled to CommonJS (dist/electron/preload.cjs). It exposes one narrow object,
 * `window.otalens`, built by the same createApiClient the tests use; raw ipcRenderer never
 * reaches the page. May import only `electron` and `shared/*`.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { createApiClient, ipcChannel, PROGRESS_EVENT, type InvokeChannel, type ProgressListener } from '../shared/api.js';
import type { Progress } from '../shared/model.js';

function invoke(channel: InvokeChannel, ...args: unknown[]): Promise<unknown> {
  return ipcRenderer.invoke(ipcChannel(channel), ...args);
}

function subscribeProgress(listener: ProgressListener): () => void {
  // Listeners get the progress only: the IpcRendererEvent would hand the page `event.sender`.
  const forward = (_event: IpcRendererEvent, progress: Progress): void => listener(progress);
  ipcRenderer.on(PROGRESS_EVENT, forward);
  return () => {
    ipcRenderer.removeListener(PROGRESS_EVENT, forward);
  };
}

function pathForFile(file: unknown): string {
  try {
    // getPathForFile throws for anything that is not a File; the page gets '' instead.
    return webUtils.getPathForFile(file as File);
  } catch {
    return '';
  }
}

contextBridge.exposeInMainWorld('otalens', createApiClient(invoke, subscribeProgress, pathForFile));
