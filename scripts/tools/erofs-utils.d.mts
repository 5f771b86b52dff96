// Types for scripts/tools/erofs-utils.mjs (imported by test/support/erofs.ts).
export const EROFS_UTILS_VERSION: string;
export function erofsUtils(): { mkfs: string; fsck: string; dump: string };
