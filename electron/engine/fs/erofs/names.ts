/**
 * EROFS names and link targets are bytes on disk; they become device paths through the one escaping
 * every reader shares (vfs/rawNames.ts): UTF-8 as is, other bytes as `\xNN`, a backslash as `\\`.
 */
export { linkTargetFromBytes as decodeBytes, nameFromBytes as decodeEntryName } from '../../vfs/rawNames.js';
