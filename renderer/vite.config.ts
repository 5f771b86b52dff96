import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The same bundle serves the Electron window and the static HTML report, which inlines it. So the
 * build must be exactly one JS file and one CSS file: no code splitting, no preload helper, every
 * asset inlined.
 */
const rendererRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * Built pages may only run their own files. Added at build time only, because the dev server
 * injects inline scripts. The static report replaces this policy with one listing inline hashes.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'otalens-csp',
    apply: 'build',
    transformIndexHtml(html) {
      // Right after the charset declaration, so the policy governs every element that follows.
      const charset = '<meta charset="utf-8" />';
      if (!html.includes(charset)) throw new Error(`renderer/index.html must contain ${charset}`);
      const meta = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`;
      return html.replace(charset, () => `${charset}\n    ${meta}`);
    },
  };
}

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  server: { host: '127.0.0.1', strictPort: true },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    cssCodeSplit: false,
    modulePreload: false,
    assetsInlineLimit: () => true,
    sourcemap: false,
    rolldownOptions: {
      output: { codeSplitting: false },
    },
  },
});
