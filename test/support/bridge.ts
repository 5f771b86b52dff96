import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page, Route } from 'playwright-core';
import { EVENT_CHANNELS, INVOKE_CHANNELS, type ApiEventName, type ApiEvents, type InvokeChannel } from '../../shared/api.js';
import type { Progress } from '../../shared/model.js';

/**
 * Runs the renderer in a plain Chromium page the way the Electron window runs it: `window.otalens`
 * has the preload's exact surface, and each call reaches the given handlers (the real ones from
 * electron/handlers.ts) through Playwright's exposeBinding instead of IPC.
 */

/** A made-up origin (`.invalid` never resolves): module scripts do not load from file:// URLs. */
export const APP_ORIGIN = 'http://otalens.invalid';
export const APP_URL = `${APP_ORIGIN}/index.html`;
const BINDING_NAME = '__otalensInvoke';

/** Same shape as `HandlerContext` in electron/handlers.ts. */
export interface BridgeContext {
  sendProgress(progress: Progress): void;
}

export type BridgeHandlers = {
  [K in InvokeChannel]: (context: BridgeContext, ...args: unknown[]) => unknown;
};

export interface LiveRenderer {
  /** Every request the page made to anything other than the app origin; each was aborted. */
  blockedRequests: string[];
  /** Every request the page made, served or not. */
  allRequests: string[];
}

const DIST_RENDERER = new URL('../../dist/renderer/', import.meta.url);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves dist/renderer at APP_ORIGIN, wires `window.otalens` to `handlers`, and opens the page. */
export async function openLiveRenderer(page: Page, handlers: BridgeHandlers, rendererDir: URL = DIST_RENDERER): Promise<LiveRenderer> {
  const live: LiveRenderer = { blockedRequests: [], allRequests: [] };
  page.on('request', (request) => live.allRequests.push(request.url()));
  await page.route('**/*', (route) => serveOrBlock(route, rendererDir, live.blockedRequests));
  await exposeHandlers(page, handlers);
  await page.goto(APP_URL);
  return live;
}

async function exposeHandlers(page: Page, handlers: BridgeHandlers): Promise<void> {
  await page.exposeBinding(BINDING_NAME, (source, channel: unknown, ...args: unknown[]) => {
    if (!isInvokeChannel(channel)) throw new Error(`bridge: unknown channel ${String(channel)}`);
    const context: BridgeContext = {
      // Progress can still arrive while a test closes the page; nobody is listening then.
      sendProgress: (progress) => void emitApiEvent(source.page, 'progress', progress).catch(() => undefined),
    };
    return handlers[channel](context, ...args);
  });

  // Mirrors createApiClient in shared/api.ts; an init script cannot import it, so the channel list is passed in.
  await page.addInitScript(
    ({ channels, bindingName, eventChannels }) => {
      type Invoke = (channel: string, ...args: unknown[]) => Promise<unknown>;
      const host = window as unknown as Record<string, unknown>;
      const invoke: Invoke = (channel, ...args) => (host[bindingName] as Invoke)(channel, ...args);
      const api: Record<string, unknown> = {};
      for (const channel of channels) api[channel] = (...args: unknown[]) => invoke(channel, ...args);
      const subscriber = (channel: string) => (listener: (payload: unknown) => void) => {
        const relay = (event: Event) => listener((event as CustomEvent<unknown>).detail);
        window.addEventListener(channel, relay);
        return () => window.removeEventListener(channel, relay);
      };
      api['onProgress'] = subscriber(eventChannels.progress);
      api['onPackageChosen'] = subscriber(eventChannels.packageChosen);
      api['onExportRequested'] = subscriber(eventChannels.exportRequested);
      api['onFeatureRulesChanged'] = subscriber(eventChannels.featureRulesChanged);
      // A page outside Electron has no file paths for dropped files.
      api['pathForFile'] = () => '';
      Object.defineProperty(window, 'otalens', { value: Object.freeze(api), enumerable: true });
    },
    { channels: [...INVOKE_CHANNELS], bindingName: BINDING_NAME, eventChannels: EVENT_CHANNELS },
  );
}

/** Delivers an event to the page's `window.otalens` listeners, as the main process's webContents.send does. */
export async function emitApiEvent<E extends ApiEventName>(page: Page, event: E, payload: ApiEvents[E]): Promise<void> {
  await page.evaluate(({ channel, detail }) => window.dispatchEvent(new CustomEvent(channel, { detail })), {
    channel: EVENT_CHANNELS[event],
    detail: payload,
  });
}

async function serveOrBlock(route: Route, rendererDir: URL, blocked: string[]): Promise<void> {
  const url = new URL(route.request().url());
  if (url.origin !== APP_ORIGIN) {
    blocked.push(url.href);
    await route.abort('blockedbyclient');
    return;
  }
  const file = new URL(`.${url.pathname}`, rendererDir);
  if (!file.href.startsWith(rendererDir.href)) {
    await route.fulfill({ status: 403, body: 'outside dist/renderer' });
    return;
  }
  try {
    const body = await readFile(file);
    const contentType = CONTENT_TYPES[extname(fileURLToPath(file))] ?? 'application/octet-stream';
    await route.fulfill({ status: 200, body, contentType });
  } catch {
    await route.fulfill({ status: 404, body: `not found: ${url.pathname}` });
  }
}

function isInvokeChannel(channel: unknown): channel is InvokeChannel {
  return typeof channel === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(channel);
}
