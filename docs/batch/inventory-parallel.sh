#!/bin/sh
# Inventories every package listed in PACKAGE_LIST (one path a line) into OUT_DIR with GNU parallel,
# JOBS at a time (default: half the cores: each inventory parses apps on several threads of its own).
#
#   sh docs/batch/inventory-parallel.sh packages.txt inventories/ [JOBS]
#
# Each inventory is written to a temporary name and renamed when complete, so a run that is stopped
# and started again (parallel --resume-failed, with the same joblog) redoes only what is missing.
# A package that cannot be read is listed in OUT_DIR/inventory.log with otalens's exit code (2) and
# its one-line reason in OUT_DIR/errors/.
set -eu
list=$1
out=$2
jobs=${3:-$(( ($(nproc) + 1) / 2 ))}
mkdir -p "$out/errors"
export OUT="$out"
parallel --jobs "$jobs" --joblog "$out/inventory.log" --resume-failed --halt never --line-buffer \
  'name=$(basename {} | tr -c "A-Za-z0-9._\n-" _); final="$OUT/$name.json.gz";
   test -s "$final" && exit 0;
   otalens inventory {} --json -o "$OUT/$name.partial.json.gz" 2>"$OUT/errors/$name.txt" \
     && mv "$OUT/$name.partial.json.gz" "$final" && rm -f "$OUT/errors/$name.txt"' :::: "$list"
