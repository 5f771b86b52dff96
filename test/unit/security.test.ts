/** The window's security policy and the app:// file server, checked from plain Node. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, resolveAppFile, serveAppFile } from '../../electron/appProtocol.js';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  createUrlPolicy,
  parseDevServerUrl,
  secureWebPreferences,
} from '../../electron/security.js';

function parseCsp(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name === undefined || name === '') continue;
    if (directives.has(name)) throw new Error(`duplicate directive ${name}`);
    directives.set(name, sources);
  }
  return directives;
}

describe('webPreferences', () => {
  const preferences = secureWebPreferences({ preloadPath: '/app/dist/electron/preload.cjs', devTools: false });

  it('isolates and sandboxes the page', () => {
    expect(preferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      experimentalFeatures: false,
      devTools: false,
    });
  });

  it('never sets options that loosen the page', () => {
    expect(preferences).not.toHaveProperty('enableBlinkFeatures');
    expect(preferences).not.toHaveProperty('additionalArguments');
    expect(preferences).not.toHaveProperty('partition');
  });

  it('enables devtools only when asked', () => {
    expect(secureWebPreferences({ preloadPath: '/p', devTools: true }).devTools).toBe(true);
  });
});

describe('Content-Security-Policy', () => {
  const csp = parseCsp(CONTENT_SECURITY_POLICY);

  it('denies everything by default and allows only the app\'s own scripts and styles', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
    expect(csp.get('font-src')).toEqual(["'self'"]);
  });

  it('allows no connection, plugin, base change, form post or framing', () => {
    for (const directive of ['connect-src', 'object-src', 'base-uri', 'form-action', 'frame-ancestors']) {
      expect(csp.get(directive), directive).toEqual(["'none'"]);
    }
  });

  it('contains no unsafe keyword, wildcard or remote source', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-inline|unsafe-hashes|wasm-unsafe-eval/);
    const sources = [...csp.values()].flat();
    expect(sources.filter((s) => s === '*' || /^(https?|wss?|file|blob):/.test(s))).toEqual([]);
  });
});

describe('URL policy (production)', () => {
  const policy = createUrlPolicy();

  it('loads the app entry page', () => {
    expect(policy.entryUrl).toBe('app://otalens/index.html');
    expect(APP_ENTRY_URL).toBe(policy.entryUrl);
  });

  it.each([
    'app://otalens/index.html',
    'app://otalens/assets/index-abc.js',
    'app://otalens/#/compare',
  ])('treats %s as the app', (url) => {
    expect(policy.isAppUrl(url)).toBe(true);
    expect(policy.isAllowedRequest(url)).toBe(true);
  });

  it.each([
    'http://otalens/index.html',
    'https://example.com/',
    'http://127.0.0.1:5173/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'app://otalens.evil.com/index.html',
    'app://evil/index.html',
    'app://user@otalens:99/index.html',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'not a url',
    '',
  ])('refuses to navigate to %j', (url) => {
    expect(policy.isAppUrl(url)).toBe(false);
  });

  it.each([
    'https://example.com/telemetry',
    'http://127.0.0.1:5173/',
    'ws://127.0.0.1:5173/',
    'ftp://mirror/rom.zip',
    'file:///home/user/rom.zip',
    'javascript:fetch("//x")',
    'chrome-extension://abc/x.js',
  ])('cancels the request %s', (url) => {
    expect(policy.isAllowedRequest(url)).toBe(false);
  });

  it('lets through data: images and Chromium\'s own devtools pages, which never reach the network', () => {
    expect(policy.isAllowedRequest('data:image/png;base64,iVBORw0KGgo=')).toBe(true);
    expect(policy.isAllowedRequest('devtools://devtools/bundled/devtools_app.html')).toBe(true);
  });
});

describe('URL policy (development)', () => {
  const policy = createUrlPolicy(parseDevServerUrl('http://127.0.0.1:5173'));

  it('loads and trusts only the local dev server', () => {
    expect(policy.entryUrl).toBe('http://127.0.0.1:5173/');
    expect(policy.isAppUrl('http://127.0.0.1:5173/src/main.tsx')).toBe(true);
    expect(policy.isAppUrl('http://127.0.0.1:5174/')).toBe(false);
    expect(policy.isAppUrl('https://127.0.0.1:5173/')).toBe(false);
    expect(policy.isAppUrl('app://otalens/index.html')).toBe(false);
  });

  it('allows the dev server\'s hot-reload socket and nothing else', () => {
    expect(policy.isAllowedRequest('ws://127.0.0.1:5173/?token=abc')).toBe(true);
    expect(policy.isAllowedRequest('ws://127.0.0.1:9999/')).toBe(false);
    expect(policy.isAllowedRequest('https://registry.npmjs.org/')).toBe(false);
  });

  it.each([
    ['http://example.com:5173/', /must be an http\(s\) URL on this machine/],
    ['http://192.168.1.20:5173/', /on this machine/],
    ['file:///tmp/index.html', /on this machine/],
    ['127.0.0.1:5173', /on this machine/],
  ])('refuses the dev server URL %s', (value, message) => {
    expect(() => parseDevServerUrl(value)).toThrow(message);
  });

  it('accepts localhost and [::1], and means production when unset', () => {
    expect(parseDevServerUrl('http://localhost:5173/')?.host).toBe('localhost:5173');
    expect(parseDevServerUrl('http://[::1]:5173/')?.host).toBe('[::1]:5173');
    expect(parseDevServerUrl(undefined)).toBeNull();
    expect(parseDevServerUrl('')).toBeNull();
  });
});

describe('app:// file server', () => {
  let base: string;
  let root: string;

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'otalens-protocol-'));
    root = join(base, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>OTA Lens</title>');
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'space name.css'), 'body{}');
    writeFileSync(join(base, 'secret.txt'), 'private key');
    mkdirSync(join(base, 'renderer-evil'));
    writeFileSync(join(base, 'renderer-evil', 'x.js'), 'evil');
  });
  afterAll(() => {
    rmSync(base, { recursive: true, force: true });
  });

  it('maps the root and files under it', () => {
    expect(resolveAppFile('app://otalens/', root)).toBe(join(root, 'index.html'));
    expect(resolveAppFile('app://otalens', root)).toBe(join(root, 'index.html'));
    expect(resolveAppFile('app://otalens/assets/index-abc.js?v=1#x', root)).toBe(join(root, 'assets', 'index-abc.js'));
    expect(resolveAppFile('app://otalens/assets/space%20name.css', root)).toBe(join(root, 'assets', 'space name.css'));
  });

  it.each([
    ['app://otalens/../secret.txt', 'secret.txt'],
    ['app://otalens/assets/../../secret.txt', 'secret.txt'],
    ['app://otalens/%2e%2e/secret.txt', 'secret.txt'],
    ['app://otalens/%2fetc%2fpasswd', 'etc/passwd'],
  ])('keeps %s inside the root (the URL parser already removed the dot segments)', (url, inside) => {
    expect(resolveAppFile(url, root)).toBe(join(root, inside));
  });

  it.each([
    'app://otalens/%2E%2E%2Fsecret.txt',
    'app://otalens/..%2fsecret.txt',
    'app://otalens/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://otalens/..%2frenderer-evil/x.js',
    'app://otalens/index.html%00.js',
    'app://otalens/%E0%A4%A',
    'app://other/index.html',
    'app://otalens:1/index.html',
    'file:///etc/passwd',
    'https://otalens/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    expect(resolveAppFile(url, root)).toBeNull();
  });

  it('treats an encoded backslash as a separator only where the platform does', () => {
    const resolved = resolveAppFile('app://otalens/..%5csecret.txt', root);
    expect(resolved).toBe(process.platform === 'win32' ? null : join(root, '..\\secret.txt'));
  });

  it('never serves a file outside the root, whatever the spelling', async () => {
    for (const url of ['app://otalens/../secret.txt', 'app://otalens/%2e%2e%2fsecret.txt', `app://otalens/${'..%2f'.repeat(12)}${encodeURIComponent(join(base, 'secret.txt').slice(1))}`]) {
      const response = await serveAppFile(url, root);
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('private key');
    }
  });

  it('serves a file with its type, the CSP and nosniff', async () => {
    const response = await serveAppFile('app://otalens/assets/index-abc.js', root);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('console.log(1)');
  });

  it('answers 404 for a missing file and for a folder', async () => {
    expect((await serveAppFile('app://otalens/missing.js', root)).status).toBe(404);
    expect((await serveAppFile('app://otalens/assets', root)).status).toBe(404);
  });

  it('types files by extension, unknown ones as opaque bytes', () => {
    expect(contentTypeFor('/x/index.HTML')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/x/a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('/x/a.wasm')).toBe('application/octet-stream');
    expect(contentTypeFor('/x/noext')).toBe('application/octet-stream');
  });
});

describe('the built renderer under this CSP (after npm run build)', () => {
  const rendererDir = resolve(import.meta.dirname, '../../dist/renderer');
  const indexPath = join(rendererDir, 'index.html');

  it('index.html exists (run npm run build first)', () => {
    expect(existsSync(indexPath), `${indexPath} is missing: run npm run build`).toBe(true);
  });

  it('has no inline script or style the CSP would block, and loads only same-origin files that exist', async () => {
    const html = readFileSync(indexPath, 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes = '', body = ''] of scripts) {
      expect(body.trim(), 'inline script').toBe('');
      expect(attributes).toMatch(/\bsrc="/);
    }
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);

    const references = [...html.matchAll(/\b(?:src|href)="([^"]+)"/gi)].map((m) => m[1] ?? '');
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) {
      const url = new URL(reference, APP_ENTRY_URL).href;
      expect(url.startsWith('app://otalens/'), reference).toBe(true);
      const response = await serveAppFile(url, rendererDir);
      expect(response.status, url).toBe(200);
    }
  });

  it('serves index.html itself with the CSP header', async () => {
    const response = await serveAppFile(APP_ENTRY_URL, rendererDir);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });
});
