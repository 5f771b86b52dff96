#!/usr/bin/env node
// Electron hardening check, run in CI: the rules of @doyensec/electronegativity that apply to this
// app, checked over the main-process sources, the renderer and the packaging config, plus the
// offline rules (no network module, no updater, no analytics). Exit 1 with one line per finding.
//
//   node scripts/check-electron.mjs [REPO_DIR]
//
// A rule looks at source text with comments removed; the security policy lives in few files
// (electron/security.ts, hardening.ts, appProtocol.ts), so each rule names what it expects there.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

// The repository; another folder with the same layout may be given (to check the checker).
const ROOT = resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
const SOURCE_EXTENSIONS = /\.(ts|tsx|mts|js|mjs|html)$/;

function filesUnder(folder) {
  const out = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else if (SOURCE_EXTENSIONS.test(name) && !/\.(test|spec)\.|\.d\.ts$/.test(name)) out.push(path);
  }
  return out;
}

/** Source without comments, so a rule is not satisfied (or broken) by prose. */
function code(path) {
  return readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1')
    .replace(/<!--[\s\S]*?-->/g, '');
}

const main = filesUnder(join(ROOT, 'electron'));
const renderer = filesUnder(join(ROOT, 'renderer'));
const shared = filesUnder(join(ROOT, 'shared'));
const sources = new Map([...main, ...renderer, ...shared].map((path) => [relative(ROOT, path), code(path)]));
const findings = [];

function forbid(rule, pattern, why, files = sources) {
  for (const [file, text] of files) {
    for (const match of text.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))) {
      const line = text.slice(0, match.index).split('\n').length;
      findings.push(`${rule}: ${file}:${line}: ${why} (${match[0].trim().slice(0, 60)})`);
    }
  }
}

function expectIn(rule, file, pattern, why) {
  const text = sources.get(file);
  if (text === undefined) findings.push(`${rule}: ${file} is missing (${why})`);
  else if (!pattern.test(text)) findings.push(`${rule}: ${file}: ${why}`);
}

// ---- webPreferences (CONTEXT_ISOLATION, NODE_INTEGRATION, SANDBOX, WEB_SECURITY, …) ----
const preferences = [
  ['CONTEXT_ISOLATION_JS_CHECK', /contextIsolation:\s*true/, 'contextIsolation must be true'],
  ['SANDBOX_JS_CHECK', /sandbox:\s*true/, 'sandbox must be true'],
  ['NODE_INTEGRATION_JS_CHECK', /nodeIntegration:\s*false/, 'nodeIntegration must be false'],
  ['NODE_INTEGRATION_JS_CHECK', /nodeIntegrationInWorker:\s*false/, 'nodeIntegrationInWorker must be false'],
  ['NODE_INTEGRATION_JS_CHECK', /nodeIntegrationInSubFrames:\s*false/, 'nodeIntegrationInSubFrames must be false'],
  ['WEB_SECURITY_JS_CHECK', /webSecurity:\s*true/, 'webSecurity must be true'],
  ['INSECURE_CONTENT_JS_CHECK', /allowRunningInsecureContent:\s*false/, 'allowRunningInsecureContent must be false'],
  ['EXPERIMENTAL_FEATURES_JS_CHECK', /experimentalFeatures:\s*false/, 'experimentalFeatures must be false'],
  ['WEBVIEW_TAG_JS_CHECK', /webviewTag:\s*false/, 'webviewTag must be false'],
];
for (const [rule, pattern, why] of preferences) expectIn(rule, 'electron/security.ts', pattern, why);
forbid('NODE_INTEGRATION_JS_CHECK', /nodeIntegration(InWorker|InSubFrames)?:\s*true/, 'Node integration enabled');
forbid('CONTEXT_ISOLATION_JS_CHECK', /contextIsolation:\s*false/, 'context isolation disabled');
forbid('SANDBOX_JS_CHECK', /sandbox:\s*false|['"]--no-sandbox['"]|enableSandbox\s*\(\s*false/, 'sandbox disabled');
forbid('WEB_SECURITY_JS_CHECK', /webSecurity:\s*false|['"]--disable-web-security['"]/, 'web security disabled');
forbid('INSECURE_CONTENT_JS_CHECK', /allowRunningInsecureContent:\s*true/, 'insecure content allowed');
forbid('EXPERIMENTAL_FEATURES_JS_CHECK', /experimentalFeatures:\s*true|enableBlinkFeatures/, 'experimental Chromium features enabled');
forbid('ALLOWPOPUPS_HTML_CHECK', /\ballowpopups\b/, 'popups allowed');
forbid('REMOTE_MODULE_JS_CHECK', /enableRemoteModule|@electron\/remote/, 'the remote module is used');
forbid('CUSTOM_ARGUMENTS_JS_CHECK', /appendSwitch\s*\(\s*['"](ignore-certificate-errors|disable-web-security|no-sandbox|remote-debugging-port|js-flags)/, 'a dangerous command-line switch');
forbid('CERTIFICATE_VERIFY_PROC_JS_CHECK', /setCertificateVerifyProc/, 'certificate verification replaced');
forbid('CERTIFICATE_ERROR_EVENT_JS_CHECK', /['"]certificate-error['"]/, 'certificate errors handled (and possibly accepted)');
forbid('OPEN_EXTERNAL_JS_CHECK', /openExternal\s*\(/, 'shell.openExternal opens URLs outside the app');
forbid('DANGEROUS_FUNCTIONS_JS_CHECK', /\beval\s*\(|new\s+Function\s*\(|insertAdjacentHTML|\.innerHTML\s*=|dangerouslySetInnerHTML/, 'code or markup built from strings');
forbid('PRELOAD_JS_CHECK', /window\.\w+\s*=\s*require|exposeInMainWorld\s*\(\s*['"]\w+['"]\s*,\s*(ipcRenderer|require)\b/, 'the preload exposes Node or raw IPC');

// ---- Global handlers (PERMISSION_REQUEST_HANDLER, navigation, new windows, CSP) ----
expectIn('PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK', 'electron/hardening.ts', /setPermissionRequestHandler\s*\(/, 'no permission request handler');
expectIn('PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK', 'electron/hardening.ts', /setPermissionCheckHandler\s*\(/, 'no permission check handler');
expectIn('LIMIT_NAVIGATION_GLOBAL_CHECK', 'electron/hardening.ts', /['"]will-navigate['"]/, 'navigation is not limited');
expectIn('LIMIT_NAVIGATION_GLOBAL_CHECK', 'electron/hardening.ts', /setWindowOpenHandler\s*\(/, 'new windows are not denied');
expectIn('LIMIT_NAVIGATION_GLOBAL_CHECK', 'electron/hardening.ts', /['"]will-attach-webview['"]/, 'webviews are not refused');
expectIn('OFFLINE_GLOBAL_CHECK', 'electron/hardening.ts', /webRequest\.onBeforeRequest\s*\(/, 'requests are not filtered by the session');
expectIn('CSP_GLOBAL_CHECK', 'electron/appProtocol.ts', /['"]Content-Security-Policy['"]/, 'app:// responses carry no Content-Security-Policy');
const csp = readFileSync(join(ROOT, 'electron/security.ts'), 'utf8').match(/CONTENT_SECURITY_POLICY\s*=\s*\[([\s\S]*?)\]/)?.[1] ?? '';
if (!/default-src 'none'|default-src 'self'/.test(csp)) findings.push(`CSP_GLOBAL_CHECK: electron/security.ts: the policy needs a strict default-src`);
if (/unsafe-eval|unsafe-inline|\*/.test(csp)) findings.push(`CSP_GLOBAL_CHECK: electron/security.ts: the policy allows unsafe-eval, unsafe-inline or a wildcard`);
if (!/connect-src 'none'/.test(csp)) findings.push(`CSP_GLOBAL_CHECK: electron/security.ts: connect-src must be 'none' (the app makes no requests)`);

// ---- Offline: no network code, no updater, no analytics, nothing loaded over http(s) ----
forbid('OFFLINE_NETWORK_MODULE', /from\s+['"](node:)?(http|https|http2|net|tls|dgram|dns)['"]|require\s*\(\s*['"](node:)?(http|https|http2|net|tls|dgram|dns)['"]/, 'a network module is imported');
forbid('OFFLINE_NETWORK_API', /\bfetch\s*\(|XMLHttpRequest|new\s+WebSocket|sendBeacon|EventSource\s*\(|net\.request\s*\(/, 'a network API is called');
forbid('OFFLINE_UPDATER', /autoUpdater|electron-updater|update-electron-app/, 'an update check');
forbid(
  'OFFLINE_ANALYTICS',
  /crashReporter\.start|from\s+['"](@sentry\/|@segment\/|mixpanel|posthog|universal-analytics|@amplitude\/|firebase|applicationinsights|@bugsnag\/|electron-log\/)/,
  'crash reporting, analytics or telemetry',
);
forbid('HTTP_RESOURCES_JS_CHECK', /loadURL\s*\(\s*['"`]https?:/, 'a page loaded over the network');

// ---- Packaging: Electron fuses ----
const builder = parseYaml(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'));
const fuses = builder.electronFuses ?? {};
const expectedFuses = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
};
for (const [fuse, value] of Object.entries(expectedFuses)) {
  if (fuses[fuse] !== value) findings.push(`ELECTRON_FUSES: electron-builder.yml: electronFuses.${fuse} must be ${value} (is ${fuses[fuse]})`);
}
if (builder.publish !== null) findings.push('OFFLINE_UPDATER: electron-builder.yml: publish must be null (no update feed)');

if (findings.length > 0) {
  for (const finding of findings) console.error(finding);
  console.error(`check-electron: ${findings.length} finding(s)`);
  process.exit(1);
}
console.log(`check-electron: no findings in ${sources.size} files and electron-builder.yml`);
