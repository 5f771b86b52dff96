import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockOtaPartition, openBlockImage } from '../../electron/engine/containers/blockOta/blockImage.js';
import { parseTransferList } from '../../electron/engine/containers/blockOta/transferList.js';
import { InputError, UnsupportedFormatError } from '../../electron/engine/errors.js';
import { closePackage, openPackage } from '../../electron/engine/formats/registry.js';
import { BufferByteSource, FileByteSource, readChunks, type ByteSource } from '../../electron/engine/io/byteSource.js';
import { CountingSource } from '../support/countingSource.js';
import { ext4RdumpDigest } from '../support/ext4.js';
import { REPO_ROOT, run, sha256, sha256sumFile, unzipMember } from '../support/oracles.js';
import { expectInputError } from '../support/inputError.js';

const FIXTURES = `${REPO_ROOT}test/fixtures/block-ota`;
const SOURCE_IMAGE = `${FIXTURES}/system.img`;
const FULL_ZIP = `${FIXTURES}/block-ota.zip`;
const INCREMENTAL_ZIP = `${FIXTURES}/block-ota-incremental.zip`;
const BLOCK = 4096;

const temp = mkdtempSync(join(tmpdir(), 'otalens-block-ota-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

// Everything below is extracted and decoded by the reference tools: Info-ZIP and the brotli CLI.
let transferList = '';
let newDatPath = '';
let newDatBrPath = '';
let sourceImage = Buffer.alloc(0);
beforeAll(() => {
  transferList = unzipMember(FULL_ZIP, 'system.transfer.list').toString('utf8');
  newDatBrPath = join(temp, 'system.new.dat.br');
  writeFileSync(newDatBrPath, unzipMember(FULL_ZIP, 'system.new.dat.br'));
  newDatPath = join(temp, 'system.new.dat');
  run('brotli', ['-d', '-f', '-o', newDatPath, newDatBrPath]);
  sourceImage = readFileSync(SOURCE_IMAGE);
});

async function sha256Of(source: ByteSource): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of readChunks(source, 0, source.size, 300_000)) hash.update(chunk);
  return hash.digest('hex');
}

async function openRaw(): Promise<ByteSource> {
  return openBlockImage({ name: 'system', transferList, transferListName: 'system.transfer.list', newData: await FileByteSource.open(newDatPath, 'system.new.dat') });
}

async function openBrotli(): Promise<ByteSource> {
  return openBlockImage({
    name: 'system',
    transferList,
    transferListName: 'system.transfer.list',
    newData: await FileByteSource.open(newDatBrPath, 'system.new.dat.br'),
    newDataEncoding: 'brotli',
  });
}

/** A deterministic sequence of reads: block-aligned and not, inside data and zero runs, across both. */
function readPlan(size: number, count: number): { offset: number; length: number }[] {
  let state = 12345;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state;
  };
  const plan = [
    { offset: 0, length: BLOCK },
    { offset: size - 1, length: 1 },
    { offset: 1024, length: 0 },
  ];
  for (let i = 0; i < count; i++) {
    const length = next() % (3 * BLOCK) + 1;
    plan.push({ offset: next() % (size - length), length });
  }
  return plan;
}

function isZero(bytes: Buffer): boolean {
  return bytes.every((byte) => byte === 0);
}

describe('block OTA image (transfer.list + new.dat)', () => {
  it('rebuilds exactly the ext4 image the fixture was made from, from new.dat and from new.dat.br', async () => {
    const expected = sha256sumFile(SOURCE_IMAGE);
    const raw = await openRaw();
    const brotli = await openBrotli();
    try {
      expect(raw.size).toBe(sourceImage.length);
      expect(brotli.size).toBe(sourceImage.length);
      expect(await sha256Of(raw)).toBe(expected);
      expect(await sha256Of(brotli)).toBe(expected);
    } finally {
      await raw.close();
      await brotli.close();
    }
  });

  it('gives an image that e2fsck accepts and debugfs reads the build fingerprint from', async () => {
    const image = await openBrotli();
    const rebuilt = join(temp, 'rebuilt.img');
    try {
      const parts: Buffer[] = [];
      for await (const chunk of readChunks(image)) parts.push(chunk);
      writeFileSync(rebuilt, Buffer.concat(parts));
    } finally {
      await image.close();
    }
    run('e2fsck', ['-fn', rebuilt]);
    const metadata = unzipMember(FULL_ZIP, 'META-INF/com/android/metadata').toString('utf8');
    const fingerprint = /^post-build=(.+)$/m.exec(metadata)?.[1];
    expect(fingerprint).toBeTruthy();
    expect(run('debugfs', ['-R', 'cat /build.prop', rebuilt])).toContain(`ro.build.fingerprint=${fingerprint}\n`);
    expect(run('debugfs', ['-R', 'ls -p /', rebuilt])).toBe(run('debugfs', ['-R', 'ls -p /', SOURCE_IMAGE]));
  });

  it('answers random reads with the same bytes as the source image (raw and brotli, any order)', async () => {
    const raw = await openRaw();
    const brotli = await openBrotli();
    try {
      for (const { offset, length } of readPlan(sourceImage.length, 150)) {
        const expected = sourceImage.subarray(offset, offset + length);
        expect((await raw.read(offset, length)).equals(expected), `raw ${offset}+${length}`).toBe(true);
        expect((await brotli.read(offset, length)).equals(expected), `brotli ${offset}+${length}`).toBe(true);
      }
    } finally {
      await raw.close();
      await brotli.close();
    }
  });

  it('reads one data block by reading only that block of new.dat, and zero blocks without reading it', async () => {
    const dataBlock = [...Array(sourceImage.length / BLOCK).keys()].find((block) => block > 100 && !isZero(sourceImage.subarray(block * BLOCK, (block + 1) * BLOCK)));
    const zeroBlock = [...Array(sourceImage.length / BLOCK).keys()].find((block) => isZero(sourceImage.subarray(block * BLOCK, (block + 1) * BLOCK)));
    if (dataBlock === undefined || zeroBlock === undefined) throw new Error('the fixture image lacks data or zero blocks');
    const counting = new CountingSource(await FileByteSource.open(newDatPath, 'system.new.dat'));
    const image = await openBlockImage({ name: 'system', transferList, newData: counting });
    try {
      const bytes = await image.read(dataBlock * BLOCK, BLOCK);
      expect(bytes.equals(sourceImage.subarray(dataBlock * BLOCK, (dataBlock + 1) * BLOCK))).toBe(true);
      expect(counting.ranges).toHaveLength(1);
      expect(counting.ranges[0]?.length).toBe(BLOCK);
      // The block it read is the one new.dat holds for that image block.
      const newDat = readFileSync(newDatPath);
      const at = counting.ranges[0]?.offset ?? -1;
      expect(newDat.subarray(at, at + BLOCK).equals(bytes)).toBe(true);

      counting.ranges = [];
      expect(isZero(await image.read(zeroBlock * BLOCK, BLOCK))).toBe(true);
      expect(counting.ranges).toEqual([]);
    } finally {
      await image.close();
    }
  });

  it('parses the fixture transfer list consistently with the image and new.dat', () => {
    const list = parseTransferList(transferList, 'system.transfer.list');
    expect(list.version).toBe(4);
    expect(list.isIncremental).toBe(false);
    expect(list.imageBlocks * BLOCK).toBe(sourceImage.length);
    expect(list.newBlocks * BLOCK).toBe(readFileSync(newDatPath).length);
    expect(list.commands[0]?.name).toBe('erase');
  });

  it('exposes the partition as a PartitionImage that opens new.dat only when asked', async () => {
    let opened = 0;
    const partition = blockOtaPartition({
      partition: 'system',
      imageName: 'block-ota.zip › system',
      transferList,
      transferListName: 'block-ota.zip › system.transfer.list',
      newDataEncoding: 'brotli',
      openNewData: async () => {
        opened++;
        return FileByteSource.open(newDatBrPath, 'block-ota.zip › system.new.dat.br');
      },
    });
    expect(partition.name).toBe('system');
    expect(partition.size).toBe(sourceImage.length);
    expect(opened).toBe(0);
    const image = await partition.open();
    try {
      expect(await sha256Of(image)).toBe(sha256(sourceImage));
    } finally {
      await image.close();
    }
  });

  it('recognises the incremental package and refuses it, naming the first patch command and its line', async () => {
    const text = unzipMember(INCREMENTAL_ZIP, 'system.transfer.list').toString('utf8');
    const metadata = unzipMember(INCREMENTAL_ZIP, 'META-INF/com/android/metadata').toString('utf8');
    expect(metadata).toMatch(/^pre-build=/m);
    const expectedLine = text.split('\n').findIndex((line) => line.startsWith('bsdiff ')) + 1;
    expect(expectedLine).toBeGreaterThan(4);

    const list = parseTransferList(text, 'system.transfer.list');
    expect(list.isIncremental).toBe(true);
    expect(list.firstIncremental).toEqual({ command: 'bsdiff', line: expectedLine });

    const error = await expectInputError(
      openBlockImage({ name: 'system', transferList: text, transferListName: 'inc.zip › system.transfer.list', newData: new BufferByteSource('system.new.dat', Buffer.alloc(0)) }),
    );
    expect(error).toBeInstanceOf(UnsupportedFormatError);
    expect(error.file).toBe('inc.zip › system.transfer.list');
    expect(error.format).toBe(`transfer list › line ${expectedLine}`);
    expect(error.message).toMatch(/incremental/);
  });
});

describe('block OTA fixture script', () => {
  it('rebuilds fixtures with the same files, and a zip that rebuilds its own image exactly', async () => {
    const out = join(temp, 'rebuilt-fixtures');
    mkdirSync(out);
    run('node', [`${REPO_ROOT}scripts/fixtures/build-block-ota.mjs`, out]);
    const digest = ext4RdumpDigest(`${out}/system.img`, temp);
    expect(digest).toEqual(ext4RdumpDigest(SOURCE_IMAGE, temp));
    expect(digest).toContain(`f /build.prop ${sha256(Buffer.from(run('debugfs', ['-R', 'cat /build.prop', SOURCE_IMAGE])))}`);

    const image = await openBlockImage({
      name: 'system',
      transferList: unzipMember(`${out}/block-ota.zip`, 'system.transfer.list').toString('utf8'),
      newData: new BufferByteSource('system.new.dat.br', unzipMember(`${out}/block-ota.zip`, 'system.new.dat.br')),
      newDataEncoding: 'brotli',
    });
    try {
      expect(await sha256Of(image)).toBe(sha256sumFile(`${out}/system.img`));
    } finally {
      await image.close();
    }
    const incremental = parseTransferList(unzipMember(`${out}/block-ota-incremental.zip`, 'system.transfer.list').toString('utf8'), 'system.transfer.list');
    expect(incremental.firstIncremental?.command).toBe('bsdiff');
  });
});

describe('transfer list semantics', () => {
  /** new.dat of `count` blocks, block i filled with byte i+1. */
  function newDat(count: number): Buffer {
    return Buffer.concat([...Array(count).keys()].map((index) => Buffer.alloc(BLOCK, index + 1)));
  }
  /** Image blocks' fill bytes as the device would leave them (0 for zeros). */
  async function blockFills(text: string, data: Buffer): Promise<number[]> {
    const image = await openBlockImage({ name: 'test', transferList: text, newData: new BufferByteSource('test.new.dat', data) });
    const bytes = await image.read(0, image.size);
    const fills: number[] = [];
    for (let offset = 0; offset < bytes.length; offset += BLOCK) {
      const block = bytes.subarray(offset, offset + BLOCK);
      expect(block.every((byte) => byte === block[0])).toBe(true);
      fills.push(block[0] ?? -1);
    }
    return fills;
  }

  it('reads version 1 lists (no stash lines) and fills new ranges in the order they are listed', async () => {
    // Blocks 4–5 take new.dat blocks 0–1, then 0–1 take 2–3; 2–3 are zeroed; 6 is never written.
    expect(await blockFills('1\n6\nnew 4,4,6,0,2\nzero 2,2,4\nerase 2,6,7\n', newDat(4))).toEqual([3, 4, 0, 0, 1, 2, 0]);
  });

  it('lets a later command win where commands overlap, as on the device', async () => {
    const text = ['4', '4', '0', '0', 'erase 2,0,6', 'new 2,0,4', 'erase 2,1,2', ''].join('\n');
    expect(await blockFills(text, newDat(4))).toEqual([1, 0, 3, 4, 0, 0]);
    const zeroed = ['3', '7', '0', '0', 'new 2,0,3', 'zero 2,2,5', 'new 2,4,5', ''].join('\n');
    expect(await blockFills(zeroed, newDat(4))).toEqual([1, 2, 0, 0, 4]);
  });

  it('reads compute_hash_tree blocks as zeros and counts them into the image', async () => {
    const text = ['4', '2', '0', '0', 'new 2,0,2', 'compute_hash_tree 2,2,4 2,0,2 sha256 aa bb', ''].join('\n');
    const list = parseTransferList(text, 't.list');
    expect(list.hashTree?.line).toBe(6);
    expect(await blockFills(text, newDat(2))).toEqual([1, 2, 0, 0]);
  });

  it('accepts CRLF line ends and blank lines', async () => {
    expect(await blockFills('4\r\n2\r\n0\r\n0\r\n\r\nnew 2,0,2\r\n', newDat(2))).toEqual([1, 2]);
  });
});

describe('corrupt block OTA input', () => {
  it('refuses a truncated new.dat (half downloaded) naming the file and where it ends', async () => {
    const bytes = readFileSync(newDatPath);
    const half = bytes.subarray(0, Math.floor(bytes.length / 2));
    const error = await expectInputError(openBlockImage({ name: 'system', transferList, newData: new BufferByteSource('system.new.dat', half) }));
    expect(error.file).toBe('system.new.dat');
    expect(error.format).toBe('new.dat');
    expect(error.offset).toBe(half.length);
    expect(error.message).toMatch(/truncated/);
  });

  it('fails reads past the end of a truncated new.dat.br with an error naming it, and does not hang', async () => {
    const bytes = readFileSync(newDatBrPath);
    const half = bytes.subarray(0, Math.floor(bytes.length / 2));
    const image = await openBlockImage({ name: 'system', transferList, newData: new BufferByteSource('system.new.dat.br', half), newDataEncoding: 'brotli' });
    try {
      expect((await image.read(0, BLOCK)).equals(sourceImage.subarray(0, BLOCK))).toBe(true);
      const error = await expectInputError(image.read(image.size - BLOCK * 1000, BLOCK * 1000));
      expect(error.file).toBe('system.new.dat.br');
      expect(error.format).toBe('brotli');
      expect(error.offset).toBe(half.length);
      expect(error.message).toMatch(/truncated/);
    } finally {
      await image.close();
    }
  });

  it('fails on corrupt brotli data with an InputError', async () => {
    const bytes = Buffer.from(readFileSync(newDatBrPath));
    for (let at = 100; at < 400; at++) bytes[at] = (bytes[at] ?? 0) ^ 0x5a;
    const image = await openBlockImage({ name: 'system', transferList, newData: new BufferByteSource('system.new.dat.br', bytes), newDataEncoding: 'brotli' });
    try {
      const error = await expectInputError(sha256Of(image));
      expect(error.file).toBe('system.new.dat.br');
      expect(error.format).toBe('brotli');
    } finally {
      await image.close();
    }
  });

  function listError(text: string): InputError {
    try {
      parseTransferList(text, 'system.transfer.list');
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return error as InputError;
    }
    throw new Error('parseTransferList accepted a malformed list');
  }

  it('names the line of a range past the total, out of bounds, or malformed', () => {
    const header = ['4', '2', '0', '0'];
    const cases: { lines: string[]; line: number; message: RegExp }[] = [
      { lines: [...header, 'new 2,0,2147483648'], line: 5, message: /out of bounds/ },
      { lines: [...header, 'new 3,0,2'], line: 5, message: /announces 3 numbers/ },
      { lines: [...header, 'new 4,0,2'], line: 5, message: /announces 4 numbers but has 2/ },
      { lines: [...header, 'new 2,2,2'], line: 5, message: /empty or reversed/ },
      { lines: [...header, 'new 4,0,2,1,3'], line: 5, message: /overlap/ },
      { lines: [...header, 'new 2,0,x'], line: 5, message: /not a number/ },
      { lines: [...header, 'new'], line: 5, message: /takes one range set/ },
      { lines: [...header, 'frobnicate 2,0,2'], line: 5, message: /unknown command "frobnicate"/ },
      { lines: ['5', '2', '0', '0', 'new 2,0,2'], line: 1, message: /unsupported transfer list version 5/ },
      { lines: ['4', '2'], line: 3, message: /ends before its stash entry count/ },
      { lines: ['4', '-1', '0', '0'], line: 2, message: /not a valid block count/ },
      { lines: [...header, 'new 2,0,2147483647', 'new 2,0,2147483647'], line: 2, message: /more than a partition can hold/ },
    ];
    for (const { lines, line, message } of cases) {
      const error = listError(lines.join('\n'));
      expect(error.file, lines.join(' | ')).toBe('system.transfer.list');
      expect(error.format, lines.join(' | ')).toBe(`transfer list › line ${line}`);
      expect(error.message, lines.join(' | ')).toMatch(message);
      const text = lines.join('\n');
      const offset = Math.min(Buffer.byteLength(text), Buffer.byteLength(lines.slice(0, line - 1).map((entry) => `${entry}\n`).join('')));
      expect(error.offset, lines.join(' | ')).toBe(offset);
    }
  });

  it('refuses a new range past the end of new.dat as a truncated new.dat', async () => {
    const text = ['4', '3', '0', '0', 'new 2,0,3', ''].join('\n');
    const error = await expectInputError(openBlockImage({ name: 'img', transferList: text, newData: new BufferByteSource('img.new.dat', Buffer.alloc(2 * BLOCK)) }));
    expect(error.file).toBe('img.new.dat');
    expect(error.offset).toBe(2 * BLOCK);
    expect(error.expected).toBe(`${3 * BLOCK} bytes`);
  });
});

describe('a transfer list whose line 2 lies (the updater only logs it)', () => {
  /** Blocks the `new` and `zero` commands of a full list write, counted by Python (an independent reading). */
  function writtenByPython(text: string): number {
    const script = `
import sys
lines = sys.stdin.read().split('\\n')
start = 4 if int(lines[0]) >= 2 else 2
total = 0
for line in lines[start:]:
    words = line.split()
    if words and words[0] in ('new', 'zero'):
        numbers = [int(n) for n in words[1].split(',')[1:]]
        total += sum(numbers[i + 1] - numbers[i] for i in range(0, len(numbers), 2))
print(total)
`;
    return Number(execFileSync('python3', ['-c', script], { input: text }).toString().trim());
  }

  /** block-ota.zip with line 2 of system.transfer.list replaced (Python's zipfile rewrites it). */
  function lyingPackage(lineTwo: string): string {
    const path = join(temp, `block-ota-line2-${lineTwo}.zip`);
    const script = `
import sys, zipfile
source, target, line_two = sys.argv[1:]
with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, 'w') as new:
    for info in old.infolist():
        data = old.read(info.filename)
        if info.filename == 'system.transfer.list':
            lines = data.decode().split('\\n')
            lines[1] = line_two
            data = '\\n'.join(lines).encode()
        new.writestr(info, data)
`;
    execFileSync('python3', ['-c', script, FULL_ZIP, path, lineTwo]);
    return path;
  }

  it('reads the package, reports the mismatch with the real count, and rebuilds the same image', async () => {
    const written = writtenByPython(transferList);
    expect(Number(transferList.split('\n')[1]), 'the fixture itself is honest').toBe(written);
    const path = lyingPackage('12');
    const listed = unzipMember(path, 'system.transfer.list').toString('utf8');
    expect(listed.split('\n')[1]).toBe('12');

    const list = parseTransferList(listed, 'system.transfer.list');
    expect(list.totalBlocks).toBe(12);
    expect(list.writtenBlocks).toBe(written);

    const handle = await openPackage(path);
    try {
      expect(handle.opened.problems).toEqual([
        { path: 'system.transfer.list', message: `line 2 says 12 blocks are written, but the new and zero commands write ${written}; Android's updater only uses that number for its progress bar, so the partition is read from the commands` },
      ]);
      // Every file of the partition is as debugfs dumps it from the image the package was made from.
      const lines: string[] = [];
      for await (const entry of handle.opened.tree.walk('/system')) {
        const relative = entry.path.slice('/system'.length);
        if (entry.type === 'directory') lines.push(`d ${relative}`);
        else if (entry.type === 'symlink') lines.push(`l ${relative} -> ${entry.target ?? ''}`);
        else lines.push(`f ${relative} ${sha256(Buffer.concat(await (await handle.opened.tree.openStream(entry.path)).toArray()))}`);
      }
      expect(lines.sort()).toEqual(ext4RdumpDigest(SOURCE_IMAGE, temp));
    } finally {
      await closePackage(handle);
    }
  });

  it('says what a 0 on line 2 means on a device: Android 6 and later write nothing', () => {
    const text = ['3', '0', '0', '0', 'new 2,0,2', 'zero 2,2,5', ''].join('\n');
    const list = parseTransferList(text, 'system.transfer.list');
    expect(list.writtenBlocks).toBe(writtenByPython(text));
    expect(list.notes).toEqual([expect.stringMatching(/^line 2 says 0 blocks are written, but the new and zero commands write 5: Android 6 and later updaters then write nothing/)]);
  });

  it.each([1, 2, 3, 4])('tolerates a wrong count in a version %i list alike', (version) => {
    const header = version >= 2 ? [String(version), '7', '0', '0'] : [String(version), '7'];
    const text = [...header, 'new 2,0,2', 'zero 2,2,9', ''].join('\n');
    const list = parseTransferList(text, 'system.transfer.list');
    expect(list.version).toBe(version);
    expect(list.writtenBlocks).toBe(writtenByPython(text));
    expect(list.notes).toEqual([expect.stringMatching(/^line 2 says 7 blocks are written, but the new and zero commands write 9;/)]);
    expect(parseTransferList(text.replace(/^7$/m, '9'), 'system.transfer.list').notes).toEqual([]);
  });
});
