export { readApkSigners, type ApkSigners } from './readApkSigners.js';
