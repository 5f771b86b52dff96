// Where scripts/tools/build-erofs-utils.sh puts erofs-utils 1.9.4, for the fixture scripts and the
// tests that need it (Debian bookworm's erofs-utils 1.5 cannot make fragments, dedupe, 48-bit,
// DEFLATE, LZMA or Zstandard images). Missing tools fail loudly with the command that builds them.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const EROFS_UTILS_VERSION = '1.9.4';
/** Written by build-erofs-utils.sh when a build is complete (its name changes with the build recipe). */
const STAMP = 'otalens-build-2';

function prefix() {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'otalens-tools', `erofs-utils-${EROFS_UTILS_VERSION}`);
}

/** Paths of mkfs.erofs, fsck.erofs and dump.erofs 1.9.4; throws when they have not been built. */
export function erofsUtils() {
  const bin = join(prefix(), 'bin');
  const tools = { mkfs: join(bin, 'mkfs.erofs'), fsck: join(bin, 'fsck.erofs'), dump: join(bin, 'dump.erofs') };
  const missing = [...Object.values(tools), join(prefix(), STAMP)].filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(`erofs-utils ${EROFS_UTILS_VERSION} is not built (no ${missing.join(', ')}): run bash scripts/tools/build-erofs-utils.sh (.ci/run does)`);
  }
  return tools;
}
