import type { OtaLensApi } from '../../shared/api.js';

declare global {
  interface Window {
    /** Present in the Electron window (preload) and in live-mode tests; absent in a static report. */
    otalens?: OtaLensApi;
  }
}

export {};
