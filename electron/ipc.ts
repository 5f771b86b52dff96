/**
 * Wires the handler functions to Electron IPC: exactly the channels of INVOKE_CHANNELS, each one
 * refusing messages from any frame that is not the app's own page. Only type imports from
 * Electron, so tests can drive it with a stand-in for ipcMain.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { INVOKE_CHANNELS, ipcChannel, PROGRESS_EVENT, type InvokeChannel } from '../shared/api.js';
import type { Progress } from '../shared/model.js';
import type { HandlerContext, Handlers } from './handlers.js';

export type IpcRegistrar = Pick<IpcMain, 'handle' | 'removeHandler'>;

export class UntrustedSenderError extends Error {
  override readonly name = 'UntrustedSenderError';
}

/** Registers every channel; returns a function that removes them again. */
export function registerIpcHandlers(
  ipcMain: IpcRegistrar,
  handlers: Handlers,
  isTrustedSender: (frameUrl: string) => boolean,
): () => void {
  function register<K extends InvokeChannel>(channel: K): void {
    const handler: Handlers[K] = handlers[channel];
    ipcMain.handle(ipcChannel(channel), (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      const frameUrl = event.senderFrame?.url;
      if (frameUrl === undefined || !isTrustedSender(frameUrl)) {
        throw new UntrustedSenderError(`${ipcChannel(channel)}: refused a message from ${frameUrl === undefined ? 'a destroyed frame' : frameUrl}`);
      }
      return handler(progressContext(event), ...args);
    });
  }

  for (const channel of INVOKE_CHANNELS) register(channel);
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(ipcChannel(channel));
  };
}

function progressContext(event: IpcMainInvokeEvent): HandlerContext {
  return {
    sendProgress(progress: Progress) {
      // The window may have closed while the worker was still reporting.
      if (!event.sender.isDestroyed()) event.sender.send(PROGRESS_EVENT, progress);
    },
  };
}
