#!/usr/bin/env bash
# Builds erofs-utils 1.9.4 (mkfs.erofs, fsck.erofs, dump.erofs) from Debian's source tarball into a
# cache folder, for the EROFS fixtures and oracles that Debian bookworm's erofs-utils 1.5 cannot
# make: fragments, dedupe, the 48-bit layout, DEFLATE, LZMA and Zstandard. Bookworm's 1.5 stays
# the tool for the fixtures it already builds.
#
#   bash scripts/tools/build-erofs-utils.sh        builds once, then reuses the cache; prints its bin folder
#
# The cache is ${XDG_CACHE_HOME:-~/.cache}/otalens-tools/erofs-utils-1.9.4 (scripts/tools/erofs-utils.mjs
# finds it there). Build dependencies (Debian): autoconf automake libtool pkgconf make gcc curl
# liblz4-dev liblzma-dev libzstd-dev libdeflate-dev uuid-dev zlib1g-dev.
set -euo pipefail

VERSION=1.9.4
TARBALL="erofs-utils_${VERSION}.orig.tar.gz"
# From the Checksums-Sha256 of Debian's erofs-utils_1.9.4-1.dsc; the SHA-1 names the same file on
# snapshot.debian.org, where it stays once the regular archive has moved on to a newer version.
SHA256=7d135aa2550326a5acf20f53c518aea5a8900015ce50700044e40f818c31dd80
SHA1=4001a0d2e511497d4d916e8e32e1394467ab2a10
URLS=(
  "https://deb.debian.org/debian/pool/main/e/erofs-utils/${TARBALL}"
  "https://snapshot.debian.org/file/${SHA1}"
)

PREFIX="${XDG_CACHE_HOME:-$HOME/.cache}/otalens-tools/erofs-utils-${VERSION}"
# Written last: a build that stopped half-way, or one made by an older version of this script, is redone.
STAMP="$PREFIX/otalens-build-2"
if [ -f "$STAMP" ] && [ -x "$PREFIX/bin/mkfs.erofs" ]; then
  echo "$PREFIX/bin"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/otalens-erofs-utils-XXXXXX")"
trap 'rm -rf "$work"' EXIT

for url in "${URLS[@]}"; do
  if curl -fsSL --retry 2 -o "$work/$TARBALL" "$url"; then break; fi
  echo "build-erofs-utils: could not download $url" >&2
  rm -f "$work/$TARBALL"
done
[ -f "$work/$TARBALL" ] || { echo "build-erofs-utils: no copy of $TARBALL could be downloaded" >&2; exit 1; }
echo "$SHA256  $work/$TARBALL" | sha256sum --check --quiet - || {
  echo "build-erofs-utils: $TARBALL does not have the expected SHA-256 $SHA256" >&2
  exit 1
}

# Each step's output goes to a log, shown only when the step fails.
quietly() {
  "$@" >>"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; echo "build-erofs-utils: failed: $*" >&2; exit 1; }
}

tar -xzf "$work/$TARBALL" -C "$work"
cd "$work/erofs-utils-${VERSION}"
# mkfs.erofs 1.9.4 reads --compress-hints before it knows the -z algorithms and crashes on any
# hint naming an algorithm index; hand it the algorithms first. Only option parsing changes.
sed -i 's/^\(\s*\)err = erofs_load_compress_hints(&importer, &g_sbi);/\1importer_params.z_paramsets = mkfscfg.zcfgs;\n&/' mkfs/main.c
grep -B1 'err = erofs_load_compress_hints' mkfs/main.c | grep -q 'z_paramsets = mkfscfg.zcfgs' || {
  echo "build-erofs-utils: could not apply the --compress-hints fix to mkfs/main.c" >&2
  exit 1
}
quietly ./autogen.sh
quietly ./configure --prefix="$PREFIX" --enable-lzma --with-libdeflate --with-libzstd \
  --disable-fuse --without-selinux --without-uuid
quietly make -j"$(nproc)"
rm -rf "$PREFIX"
quietly make install
"$PREFIX/bin/mkfs.erofs" -V >&2
echo "erofs-utils ${VERSION} from ${TARBALL} (sha256 ${SHA256}), mkfs --compress-hints fix applied" >"$STAMP"
echo "$PREFIX/bin"
