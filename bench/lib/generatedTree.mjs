// A generated system tree for benchmarks: thousands of files, seeded so the same parameters give
// the same files (names and content; an image built from them may still lay them out differently).
// Three kinds of content, as in real system images:
//   text    config/XML/smali-like lines (LZ4 roughly halves them, xz does better)
//   binary  AES-CTR keystream (incompressible), each 4 KiB page starting with 16 zero bytes,
//           like page-aligned headers; pure random bytes would send erofs-utils 1.5's LZ4HC
//           compressor down a path that runs at 2.5 MB/s, while these go at ~100 MB/s
//   zeros   a zero region in the middle of every fourth large binary file
// Sizes: most files are small (64 B to 512 KiB); a few hundred large ones (binary 1 to 48 MiB,
// text 256 KiB to 8 MiB) carry the byte budget.
import { createCipheriv, createHash } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PAGE = 4096;
const PAGE_HEADER = 16;
const TEXT_POOL_BYTES = 48 << 20;
const KiB = 1024;
const MiB = 1024 * KiB;

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const logUniform = (random, low, high) => Math.round(Math.exp(Math.log(low) + random() * (Math.log(high) - Math.log(low))));
const pick = (random, items) => items[Math.floor(random() * items.length)];

const TEXT_HOMES = [['etc', '.conf'], ['etc/permissions', '.xml'], ['etc/init', '.rc'], ['etc/sysconfig', '.xml'], ['usr/share/i18n', '.txt'], ['framework/smali', '.smali']];
const BINARY_HOMES = [['lib64', '.so'], ['lib', '.so'], ['framework', '.odex'], ['app', '.vdex'], ['priv-app', '.dat'], ['fonts', '.ttf'], ['media/audio', '.ogg'], ['usr/icu', '.dat']];
const FILES_PER_FOLDER = 100;

/**
 * The plan of a tree: [{ path, kind: 'text'|'binary', size, zeroBytes }] in a seeded order.
 * `binaryBytes` and `textBytes` are the budgets of non-zero content; `fileCount` the number of files.
 */
export function planTree({ seed, fileCount, binaryBytes, textBytes }) {
  const random = seededRandom(seed);
  const files = [];
  const fill = (kind, budget, low, high) => {
    for (let total = 0; total < budget; ) {
      const size = Math.min(logUniform(random, low, high), Math.max(PAGE, budget - total));
      files.push({ kind, size, zeroBytes: 0 });
      total += size;
    }
  };
  // Small files first take their expected share of each budget; large files fill the rest.
  const smallLow = 64;
  const smallHigh = 512 * KiB;
  const smallMean = (smallHigh - smallLow) / Math.log(smallHigh / smallLow);
  const expectedSmall = Math.round(fileCount * 0.92);
  fill('binary', binaryBytes - (expectedSmall / 2) * smallMean, 1 * MiB, 48 * MiB);
  fill('text', textBytes - (expectedSmall / 2) * smallMean, 256 * KiB, 8 * MiB);
  for (let index = 0; files.length < fileCount; index++) {
    files.push({ kind: index % 2 === 0 ? 'text' : 'binary', size: logUniform(random, smallLow, smallHigh), zeroBytes: 0 });
  }
  let largeBinary = 0;
  for (const file of files) {
    if (file.kind === 'binary' && file.size >= MiB && largeBinary++ % 4 === 0) {
      file.zeroBytes = Math.round((file.size * (0.3 + random() * 0.7)) / PAGE) * PAGE;
    }
  }
  // Shuffle, so large and small files of both kinds are interleaved in the image.
  for (let index = files.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [files[index], files[other]] = [files[other], files[index]];
  }
  const perHome = new Map();
  for (const [index, file] of files.entries()) {
    const [home, extension] = pick(random, file.kind === 'text' ? TEXT_HOMES : BINARY_HOMES);
    const seen = perHome.get(home) ?? 0;
    perHome.set(home, seen + 1);
    file.path = `${home}/set${Math.floor(seen / FILES_PER_FOLDER)}/${file.kind === 'text' ? 'conf' : 'lib'}${index}${extension}`;
  }
  return files;
}

/** Config-, XML- and smali-like lines over a seeded vocabulary. */
function textPool(random) {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const vocabulary = Array.from({ length: 4096 }, () => Array.from({ length: 3 + Math.floor(random() * 8) }, () => letters[Math.floor(random() * 26)]).join(''));
  const word = () => pick(random, vocabulary);
  const Word = () => {
    const w = word();
    return w[0].toUpperCase() + w.slice(1);
  };
  const number = () => Math.floor(random() * 100000);
  const hex = () => Math.floor(random() * 0xffffffff).toString(16).padStart(8, '0');
  const lines = [
    () => `ro.${word()}.${word()}.${word()}=${word()}_${number()}\n`,
    () => `    <item name="${word()}_${word()}">${number()}</item>\n`,
    () => `  <permission name="android.permission.${word().toUpperCase()}_${word().toUpperCase()}" />\n`,
    () => `    invoke-virtual {v${number() % 16}, v${number() % 16}}, Lcom/android/${word()}/${Word()}${Word()};->${word()}${Word()}(I)V\n`,
    () => `${hex()} ${hex()} T ${word()}${Word()}::${word()}(${Word()} const&)\n`,
    () => `service ${word()}_${word()} /system/bin/${word()} --${word()}=${number()}\n`,
  ];
  const parts = [];
  let length = 0;
  while (length < TEXT_POOL_BYTES) {
    const line = Buffer.from(pick(random, lines)(), 'latin1');
    parts.push(line);
    length += line.length;
  }
  return Buffer.concat(parts, length);
}

/** An incompressible binary body: seeded keystream, every 4 KiB page opening with 16 zero bytes. */
function binaryBody(seed, index, size) {
  const key = createHash('sha256').update(`otalens-bench ${seed}`).digest().subarray(0, 16);
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(index, 0);
  const bytes = createCipheriv('aes-128-ctr', key, iv).update(Buffer.alloc(size));
  for (let page = 0; page < size; page += PAGE) bytes.fill(0, page, Math.min(size, page + PAGE_HEADER));
  return bytes;
}

function fileBody(file, index, pool, random, seed) {
  if (file.kind === 'text') {
    const start = Math.floor(random() * (pool.length - file.size));
    return pool.subarray(start, start + file.size);
  }
  const data = binaryBody(seed, index, file.size);
  if (file.zeroBytes === 0) return data;
  const half = Math.floor(file.size / 2 / PAGE) * PAGE;
  return Buffer.concat([data.subarray(0, half), Buffer.alloc(file.zeroBytes), data.subarray(half)]);
}

/** The build fingerprint of a generated tree (build: undefined, or 'old'/'new' of a pair). */
export function benchFingerprint(seed, build) {
  return `OtaLens/bench/bench:14/BENCH.${seed}${build === undefined ? '' : `.${build}`}/1:user/release-keys`;
}

/** In the new build of a pair, one planned file in CHANGED_EVERY (a few hundred of 5,000) ends differently. */
const CHANGED_EVERY = 16;

/**
 * Writes the planned tree under `root` (plus build.prop, a few empty files and symlinks) and returns
 * the SHA-256 of every regular file by its path in the tree, and the bytes written. With `build`
 * ('old' or 'new': one side of a pair), build.prop names the build and sets a feature default
 * (usage statistics: on in the old build, off in the new), and in the new build a few hundred files
 * get a line more; the rest of the two trees is the same.
 */
export function writeTree(root, plan, seed, { build } = {}) {
  const random = seededRandom(seed ^ 0x5eed);
  const pool = textPool(random);
  const hashes = {};
  let bytes = 0;
  const write = (path, body) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), body);
    hashes[path] = createHash('sha256').update(body).digest('hex');
    bytes += body.length;
  };
  const buildProp = `ro.build.fingerprint=${benchFingerprint(seed, build)}\nro.build.version.release=14\n`;
  write('build.prop', build === undefined ? buildProp : `${buildProp}persist.sys.usage_stats=${build === 'old'}\n`);
  for (let index = 0; index < 8; index++) write(`etc/empty/empty${index}.conf`, Buffer.alloc(0));
  plan.forEach((file, index) => {
    const body = fileBody(file, index, pool, random, seed);
    write(file.path, build === 'new' && index % CHANGED_EVERY === 0 ? Buffer.concat([body, Buffer.from(`changed in the new build ${index}\n`)]) : body);
  });
  mkdirSync(join(root, 'bin'), { recursive: true });
  writeFileSync(join(root, 'bin/toolbox'), '#!/bin/sh\n');
  hashes['bin/toolbox'] = createHash('sha256').update('#!/bin/sh\n').digest('hex');
  symlinkSync('toolbox', join(root, 'bin/sh'));
  symlinkSync('/system/etc/empty/empty0.conf', join(root, 'etc/linked.conf'));
  return { hashes, bytes };
}
