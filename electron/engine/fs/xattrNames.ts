/**
 * Extended attribute names as ext4 and EROFS store them: a prefix index and the rest of the name.
 * Both keep ext2's numbering for the common prefixes (fs/ext4/xattr.h EXT4_XATTR_INDEX_*,
 * fs/erofs/erofs_fs.h EROFS_XATTR_INDEX_*); each format adds its own.
 */
const COMMON_PREFIXES: readonly (readonly [number, string])[] = [
  [1, 'user.'],
  [2, 'system.posix_acl_access'],
  [3, 'system.posix_acl_default'],
  [4, 'trusted.'],
  [6, 'security.'],
];

/** The common prefixes and a format's own, by index. */
export function xattrPrefixes(own: readonly (readonly [number, string])[]): ReadonlyMap<number, string> {
  return new Map([...COMMON_PREFIXES, ...own]);
}

/** The prefix an index stands for; `(index N).` for one the format does not name, so the name stays visible without a guess. */
export function xattrPrefix(prefixes: ReadonlyMap<number, string>, index: number): string {
  return prefixes.get(index) ?? `(index ${index}).`;
}
