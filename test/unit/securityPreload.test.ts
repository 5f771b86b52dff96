/**
 * The built, sandboxed preload (dist/electron/preload.cjs), run in a fresh VM context with a
 * stand-in for the `electron` module, the only module a sandboxed preload may require.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OtaLensApi } from '../../shared/api.js';

const preloadPath = resolve(import.meta.dirname, '../../dist/electron/preload.cjs');

type IpcListener = (event: unknown, ...args: unknown[]) => void;

function loadPreload() {
  const exposed = new Map<string, unknown>();
  const invocations: unknown[][] = [];
  const listeners = new Map<string, IpcListener[]>();
  const pathsByFile = new Map<object, string>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        invocations.push(args);
        return Promise.resolve(`answer to ${String(args[0])}`);
      },
      on: (channel: string, listener: IpcListener) => {
        listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
      },
      removeListener: (channel: string, listener: IpcListener) => {
        listeners.set(channel, (listeners.get(channel) ?? []).filter((l) => l !== listener));
      },
    },
    webUtils: {
      getPathForFile: (file: unknown) => {
        const path = typeof file === 'object' && file !== null ? pathsByFile.get(file) : undefined;
        if (path === undefined) throw new TypeError('Error processing argument at index 0, conversion failure');
        return path;
      },
    },
  };
  const requested: string[] = [];
  const module = { exports: {} };
  runInNewContext(readFileSync(preloadPath, 'utf8'), {
    module,
    exports: module.exports,
    require: (id: string) => {
      requested.push(id);
      if (id === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${id}`);
    },
  }, { filename: preloadPath });
  const emit = (channel: string, event: unknown, ...args: unknown[]) => {
    for (const listener of listeners.get(channel) ?? []) listener(event, ...args);
  };
  return { exposed, invocations, listeners, pathsByFile, requested, emit };
}

let preload: ReturnType<typeof loadPreload>;
let api: OtaLensApi;
beforeEach(() => {
  preload = loadPreload();
  api = preload.exposed.get('otalens') as OtaLensApi;
});

describe('preload', () => {
  it('requires only electron, statically and at run time', () => {
    const imports = ts.preProcessFile(readFileSync(preloadPath, 'utf8'), true, true).importedFiles.map((ref) => ref.fileName);
    expect(imports).toEqual(['electron']);
    expect(preload.requested).toEqual(['electron']);
  });

  it('exposes exactly one global, otalens, with exactly the contract\'s members', () => {
    expect([...preload.exposed.keys()]).toEqual(['otalens']);
    expect(Object.keys(api).sort()).toEqual([
      'appInfo', 'cancelCompare', 'chooseBuilds', 'chooseFeatureRules', 'choosePackage', 'compare', 'exportReport', 'featureRules', 'forgetFeatureRules', 'forgetRecent',
      'onExportRequested', 'onFeatureRulesChanged', 'onPackageChosen', 'onProgress', 'pathForFile', 'readFileText', 'recentComparisons', 'samplePackages', 'timeline',
    ]);
    expect(Object.values(api).every((member) => typeof member === 'function')).toBe(true);
  });

  it('invokes the prefixed channel with the arguments as given', async () => {
    const request = { oldPath: '/a.zip', newPath: '/b.zip' };
    await expect(api.compare(request)).resolves.toBe('answer to otalens:compare');
    await api.choosePackage('new', 'folder');
    await api.appInfo();
    await api.cancelCompare();
    expect(preload.invocations).toEqual([
      ['otalens:compare', request],
      ['otalens:choosePackage', 'new', 'folder'],
      ['otalens:appInfo'],
      ['otalens:cancelCompare'],
    ]);
  });

  it('hands progress listeners the progress alone, never the IPC event', () => {
    const received: unknown[][] = [];
    api.onProgress((...args: unknown[]) => received.push(args));
    const event = { sender: { send: () => {} }, ports: [] };
    preload.emit('otalens:progress', event, { stage: 'diffing' });
    expect(received).toEqual([[{ stage: 'diffing' }]]);
  });

  it('hands menu-chosen packages to listeners as the payload alone', () => {
    const received: unknown[][] = [];
    api.onPackageChosen((...args: unknown[]) => received.push(args));
    const chosen = { side: 'old', package: { path: '/x/old.zip', name: 'old.zip' } };
    preload.emit('otalens:package-chosen', { sender: {} }, chosen);
    expect(received).toEqual([[chosen]]);
  });

  it('stops delivering after unsubscribe and leaves no listener behind', () => {
    const received: unknown[] = [];
    const unsubscribe = api.onProgress((progress) => received.push(progress));
    preload.emit('otalens:progress', {}, { stage: 'opening' });
    unsubscribe();
    preload.emit('otalens:progress', {}, { stage: 'done' });
    expect(received).toEqual([{ stage: 'opening' }]);
    expect(preload.listeners.get('otalens:progress')).toEqual([]);
  });

  it('returns a dropped file\'s path, and \'\' for anything that is not a file', () => {
    const file = { name: 'update.zip' };
    preload.pathsByFile.set(file, '/downloads/update.zip');
    expect(api.pathForFile(file)).toBe('/downloads/update.zip');
    expect(api.pathForFile({ name: 'pasted.zip' })).toBe('');
    expect(api.pathForFile('/etc/passwd')).toBe('');
    expect(api.pathForFile(null)).toBe('');
  });
});
