/** registerIpcHandlers, driven through a stand-in for ipcMain that records what was registered. */
import { describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { INVOKE_CHANNELS, PROGRESS_EVENT } from '../../shared/api.js';
import type { Progress } from '../../shared/model.js';
import type { HandlerContext, Handlers } from '../../electron/handlers.js';
import { registerIpcHandlers, UntrustedSenderError, type IpcRegistrar } from '../../electron/ipc.js';
import { createUrlPolicy } from '../../electron/security.js';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

function fakeIpcMain() {
  const registered = new Map<string, Listener>();
  const ipcMain: IpcRegistrar = {
    handle: (channel, listener) => {
      if (registered.has(channel)) throw new Error(`second handler for ${channel}`);
      registered.set(channel, listener as Listener);
    },
    removeHandler: (channel) => {
      registered.delete(channel);
    },
  };
  return { ipcMain, registered };
}

interface FakeSender {
  sent: Array<[string, unknown]>;
  destroyed: boolean;
}

function fakeEvent(frameUrl: string | null, sender: FakeSender = { sent: [], destroyed: false }): IpcMainInvokeEvent {
  const event = {
    senderFrame: frameUrl === null ? null : { url: frameUrl },
    sender: {
      isDestroyed: () => sender.destroyed,
      send: (channel: string, payload: unknown) => sender.sent.push([channel, payload]),
    },
  };
  // Only the members ipc.ts reads are present; the real event has many more.
  return event as unknown as IpcMainInvokeEvent;
}

function recordingHandlers() {
  const calls: Array<{ channel: string; args: unknown[]; ctx: HandlerContext }> = [];
  const record = (channel: string) => (ctx: HandlerContext, ...args: unknown[]) => {
    calls.push({ channel, args, ctx });
    return Promise.resolve(null);
  };
  const handlers = {
    appInfo: record('appInfo'),
    choosePackage: record('choosePackage'),
    compare: record('compare'),
    cancelCompare: record('cancelCompare'),
    exportReport: record('exportReport'),
    samplePackages: record('samplePackages'),
    recentComparisons: record('recentComparisons'),
    forgetRecent: record('forgetRecent'),
    readFileText: record('readFileText'),
    featureRules: record('featureRules'),
    chooseFeatureRules: record('chooseFeatureRules'),
    forgetFeatureRules: record('forgetFeatureRules'),
    chooseBuilds: record('chooseBuilds'),
    timeline: record('timeline'),
  } as unknown as Handlers;
  return { handlers, calls };
}

const policy = createUrlPolicy();

describe('registerIpcHandlers', () => {
  it('registers exactly the contract channels, prefixed', () => {
    const { ipcMain, registered } = fakeIpcMain();
    registerIpcHandlers(ipcMain, recordingHandlers().handlers, policy.isAppUrl);
    expect([...registered.keys()].sort()).toEqual([
      'otalens:appInfo', 'otalens:cancelCompare', 'otalens:chooseBuilds', 'otalens:chooseFeatureRules', 'otalens:choosePackage', 'otalens:compare', 'otalens:exportReport',
      'otalens:featureRules', 'otalens:forgetFeatureRules', 'otalens:forgetRecent', 'otalens:readFileText', 'otalens:recentComparisons', 'otalens:samplePackages', 'otalens:timeline',
    ]);
    expect(registered.size).toBe(INVOKE_CHANNELS.length);
  });

  it('passes the arguments through to the handler of the same name', async () => {
    const { ipcMain, registered } = fakeIpcMain();
    const { handlers, calls } = recordingHandlers();
    registerIpcHandlers(ipcMain, handlers, policy.isAppUrl);
    await registered.get('otalens:choosePackage')?.(fakeEvent('app://otalens/index.html'), 'old', 'file');
    expect(calls.map(({ channel, args }) => ({ channel, args }))).toEqual([{ channel: 'choosePackage', args: ['old', 'file'] }]);
  });

  it.each([
    ['a web page', 'https://example.com/'],
    ['a local file', 'file:///home/user/evil.html'],
    ['another app:// host', 'app://evil/index.html'],
    ['about:blank', 'about:blank'],
  ])('refuses a message from %s without calling the handler', async (_label, url) => {
    const { ipcMain, registered } = fakeIpcMain();
    const { handlers, calls } = recordingHandlers();
    registerIpcHandlers(ipcMain, handlers, policy.isAppUrl);
    expect(() => registered.get('otalens:compare')?.(fakeEvent(url), { oldPath: '/a', newPath: '/b' }))
      .toThrow(UntrustedSenderError);
    expect(calls).toEqual([]);
  });

  it('refuses a message whose frame is gone', () => {
    const { ipcMain, registered } = fakeIpcMain();
    const { handlers, calls } = recordingHandlers();
    registerIpcHandlers(ipcMain, handlers, policy.isAppUrl);
    expect(() => registered.get('otalens:appInfo')?.(fakeEvent(null))).toThrow('otalens:appInfo: refused a message from a destroyed frame');
    expect(calls).toEqual([]);
  });

  it('sends progress back to the sender on the progress channel, and not after the window is gone', async () => {
    const { ipcMain, registered } = fakeIpcMain();
    const { handlers, calls } = recordingHandlers();
    registerIpcHandlers(ipcMain, handlers, policy.isAppUrl);
    const sender: FakeSender = { sent: [], destroyed: false };
    await registered.get('otalens:compare')?.(fakeEvent('app://otalens/index.html', sender), {});
    const ctx = calls[0]?.ctx;
    if (ctx === undefined) throw new Error('compare handler was not called');
    const progress: Progress = { stage: 'reading', side: 'new', done: 3, total: 8 };
    ctx.sendProgress(progress);
    sender.destroyed = true;
    ctx.sendProgress({ stage: 'done' });
    expect(sender.sent).toEqual([[PROGRESS_EVENT, progress]]);
  });

  it('trusts the dev server origin only in development', async () => {
    const dev = createUrlPolicy(new URL('http://127.0.0.1:5173/'));
    const { ipcMain, registered } = fakeIpcMain();
    const { handlers, calls } = recordingHandlers();
    registerIpcHandlers(ipcMain, handlers, dev.isAppUrl);
    await registered.get('otalens:appInfo')?.(fakeEvent('http://127.0.0.1:5173/'));
    expect(() => registered.get('otalens:appInfo')?.(fakeEvent('http://127.0.0.1:5174/'))).toThrow(UntrustedSenderError);
    expect(calls).toHaveLength(1);
  });

  it('returns a function that removes every channel', () => {
    const { ipcMain, registered } = fakeIpcMain();
    const unregister = registerIpcHandlers(ipcMain, recordingHandlers().handlers, policy.isAppUrl);
    unregister();
    expect(registered.size).toBe(0);
  });
});
