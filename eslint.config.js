import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'worker_threads', 'stream', 'zlib', 'url', 'util', 'events', 'buffer'];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'samples/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}', 'bin/otalens'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['electron/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // shared/ is pure TypeScript usable on both sides: no Node, no Electron, no DOM, no React.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'shared/ must not import Node modules.' },
          { group: ['electron', 'electron/*'], message: 'shared/ must not import Electron.' },
          { group: ['react', 'react-dom', 'react-dom/*'], message: 'shared/ must not import React.' },
          { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ must not import from electron/ or renderer/.' },
        ],
      }],
    },
  },
  {
    // renderer/ runs in a sandboxed page: no Node, no Electron, and never the engine.
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'renderer/ must not import Node modules.' },
          { group: ['electron', 'electron/*'], message: 'renderer/ must not import Electron; use window.otalens.' },
          { group: ['**/electron/**'], message: 'renderer/ must not import from electron/; use window.otalens.' },
        ],
      }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
