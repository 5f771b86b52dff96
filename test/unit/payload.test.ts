import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PayloadArchive } from '../../electron/engine/containers/payload/payloadArchive.js';
import { UnsupportedFormatError } from '../../electron/engine/errors.js';
import { BufferByteSource } from '../../electron/engine/io/byteSource.js';
import { REPO_ROOT, run, sha256, unzipMember, unzipNames, zipLayout } from '../support/oracles.js';
// The fixture script's payload writer, used to make variants (oracles stay the image bytes).
import { writePayload } from '../../scripts/fixtures/build-payload.mjs';
import { CountingSource } from '../support/countingSource.js';
import { expectInputError } from '../support/inputError.js';

interface OpInfo {
  type: number;
  dst: [number, number][];
  blobOffset?: number;
  blobLength?: number;
}
interface PayloadJson {
  full: { dataStart: number; size: number; partitions: Record<string, { size: number; sha256: string; ops: OpInfo[] }> };
  delta: { dataStart: number; size: number; partitions: Record<string, { size: number; sha256: string; ops: OpInfo[] }> };
}

const FIXTURES = `${REPO_ROOT}test/fixtures/payload`;
const info = JSON.parse(readFileSync(`${FIXTURES}/payload.json`, 'utf8')) as PayloadJson;
const imagesJson = JSON.parse(readFileSync(`${REPO_ROOT}test/fixtures/sparse/images.json`, 'utf8')) as { images: { system: { sha256: string } } };
const BLOCK = 4096;
const OP = { REPLACE: 0, REPLACE_BZ: 1, ZERO: 6, DISCARD: 7, REPLACE_XZ: 8, ZSTD: 14 };

/** payload.bin as Info-ZIP extracts it, checked to be STORED where Python's zipfile says. */
function payloadBytes(zip: string): Buffer {
  const bytes = unzipMember(`${FIXTURES}/${zip}`, 'payload.bin');
  const member = zipLayout(`${FIXTURES}/${zip}`).find((entry) => entry.name === 'payload.bin');
  expect(member?.compressedSize, 'payload.bin is stored').toBe(bytes.length);
  expect(readFileSync(`${FIXTURES}/${zip}`).subarray(member!.dataOffset, member!.dataOffset + bytes.length).equals(bytes)).toBe(true);
  return bytes;
}

const fullPayload = payloadBytes('ota-full.zip');

function opAt(partition: string, block: number): { index: number; op: OpInfo } {
  const ops = info.full.partitions[partition]!.ops;
  const index = ops.findIndex((op) => op.dst.some(([start, count]) => block >= start && block < start + count));
  return { index, op: ops[index]! };
}

describe('PayloadArchive (full OTA)', () => {
  it('reads the header and manifest', async () => {
    const archive = await PayloadArchive.open(new BufferByteSource('ota-full.zip › payload.bin', fullPayload));
    expect(archive.blockSize).toBe(BLOCK);
    expect(archive.minorVersion).toBe(0);
    expect(archive.isDelta).toBe(false);
    expect(archive.partitions.map((partition) => [partition.name, partition.size])).toEqual([
      ['system', info.full.partitions.system!.size],
      ['odm', info.full.partitions.odm!.size],
    ]);
    expect(archive.partitionInfo.map((partition) => partition.sha256)).toEqual([info.full.partitions.system!.sha256, info.full.partitions.odm!.sha256]);
    const types = archive.manifest.partitions[0]!.operations.map((operation) => operation.type);
    expect(types).toEqual(info.full.partitions.system!.ops.map((op) => op.type));
    expect(new Set(types)).toEqual(new Set(Object.values(OP)));
  });

  it('rebuilds every partition with the SHA-256 of its source image and of new_partition_info', async () => {
    const archive = await PayloadArchive.open(new BufferByteSource('payload.bin', fullPayload));
    // The system image is the same ext4 image as super.img's system_a (an independent record of it).
    expect(info.full.partitions.system!.sha256).toBe(imagesJson.images.system.sha256);
    for (const partition of archive.partitionInfo) {
      expect(await archive.hashPartition(partition.name), partition.name).toBe(info.full.partitions[partition.name]!.sha256);
      expect(partition.sha256).toBe(info.full.partitions[partition.name]!.sha256);
    }
  });

  it('serves random reads across operation boundaries', async () => {
    const archive = await PayloadArchive.open(new BufferByteSource('payload.bin', fullPayload));
    const system = await archive.partitions[0]!.open();
    const whole = await system.read(0, system.size);
    expect(sha256(whole), 'the whole image matches its oracle hash').toBe(info.full.partitions.system!.sha256);

    const fresh = await PayloadArchive.open(new BufferByteSource('payload.bin', fullPayload), { cacheBytes: 512 * 1024 });
    const source = await fresh.partitions[0]!.open();
    const boundaries = info.full.partitions.system!.ops.flatMap((op) => op.dst.map(([start]) => start * BLOCK)).filter((at) => at > 0);
    let state = 11;
    const random = (): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const ranges: [number, number][] = boundaries.map((at) => [at - 1 - Math.floor(random() * 5000), 2 + Math.floor(random() * 300_000)]);
    for (let i = 0; i < 100; i++) ranges.push([Math.floor(random() * system.size), Math.floor(random() * 70_000)]);
    for (const [rawOffset, rawLength] of ranges) {
      const offset = Math.max(0, rawOffset);
      const length = Math.min(rawLength, system.size - offset);
      expect((await source.read(offset, length)).equals(whole.subarray(offset, offset + length)), `read ${offset}+${length}`).toBe(true);
    }
  });

  it('reads one 4 KiB block by decoding only the operation that covers it', async () => {
    const counting = new CountingSource(new BufferByteSource('payload.bin', fullPayload));
    const archive = await PayloadArchive.open(counting);
    const system = await archive.partitions[0]!.open();
    const ops = info.full.partitions.system!.ops;
    const split = ops.find((op) => op.type === OP.REPLACE_XZ && op.dst.length === 2)!;
    const [secondStart] = split.dst[1]!;
    const zstd = ops.find((op) => op.type === OP.ZSTD)!;
    const bzip2 = ops.find((op) => op.type === OP.REPLACE_BZ)!;
    for (const { block, op } of [
      { block: secondStart + 5, op: split },
      { block: zstd.dst[0]![0] + 31, op: zstd },
      { block: bzip2.dst[0]![0], op: bzip2 },
    ]) {
      counting.ranges = [];
      await system.read(block * BLOCK, BLOCK);
      expect(counting.bytesRead, `bytes read for block ${block}`).toBe(op.blobLength);
      for (const { offset, length } of counting.ranges) {
        expect(offset).toBeGreaterThanOrEqual(op.blobOffset!);
        expect(offset + length).toBeLessThanOrEqual(op.blobOffset! + op.blobLength!);
      }
      counting.ranges = [];
      await system.read(block * BLOCK, BLOCK);
      expect(counting.bytesRead, 'a second read is served from the cache').toBe(0);
    }
    // A ZERO operation's blocks read nothing at all.
    counting.ranges = [];
    const zero = ops.find((op) => op.type === OP.ZERO)!;
    expect((await system.read(zero.dst[0]![0] * BLOCK, BLOCK)).equals(Buffer.alloc(BLOCK))).toBe(true);
    expect(counting.bytesRead).toBe(0);
  });
  it('decodes an operation larger than the cache once when it is read piece by piece', async () => {
    const counting = new CountingSource(new BufferByteSource('payload.bin', fullPayload));
    const archive = await PayloadArchive.open(counting, { cacheBytes: 1024 });
    const system = await archive.partitions[0]!.open();
    const op = info.full.partitions.system!.ops.find((candidate) => candidate.type === OP.REPLACE_XZ && candidate.dst.length === 1)!;
    const [start, blocks] = op.dst[0]!;
    counting.ranges = [];
    for (let block = start; block < start + blocks; block++) await system.read(block * BLOCK, BLOCK);
    expect(counting.bytesRead).toBe(op.blobLength);
  });
});

describe('PayloadArchive on incremental payloads', () => {
  it('says it is a delta and refuses to rebuild blocks that need the source build', async () => {
    const payload = payloadBytes('ota-delta.zip');
    const archive = await PayloadArchive.open(new BufferByteSource('ota-delta.zip › payload.bin', payload));
    expect(archive.isDelta).toBe(true);
    expect(archive.minorVersion).toBe(8);
    const system = await archive.partitions[0]!.open();
    const error = await expectInputError(system.read(5 * BLOCK, BLOCK));
    expect(error).toBeInstanceOf(UnsupportedFormatError);
    expect(error.file).toBe('ota-delta.zip › payload.bin');
    expect(error.format).toBe('payload.bin › system › op 0');
    expect(error.message).toMatch(/SOURCE_COPY needs the previous build's partition/);
  });
});

describe('PayloadArchive on corrupt input', () => {
  it('rejects a half-downloaded payload when opening it, naming the first op past the end', async () => {
    const half = fullPayload.subarray(0, Math.floor(fullPayload.length / 2));
    const error = await expectInputError(PayloadArchive.open(new BufferByteSource('half.bin', half)));
    const first = info.full.partitions.system!.ops.findIndex((op) => op.blobOffset !== undefined && op.blobOffset + op.blobLength! > half.length);
    expect(error.file).toBe('half.bin');
    expect(error.format).toBe(`payload.bin › system › op ${first}`);
    expect(error.offset).toBe(info.full.partitions.system!.ops[first]!.blobOffset);
    expect(error.message).toMatch(/truncated/);
  });

  it('rejects a blob that does not match its data_sha256_hash, naming the op and the blob offset', async () => {
    const { index, op } = opAt('system', info.full.partitions.system!.ops.find((candidate) => candidate.type === OP.REPLACE_XZ)!.dst[0]![0]);
    const damaged = Buffer.from(fullPayload);
    damaged[op.blobOffset! + 100] = (damaged[op.blobOffset! + 100] ?? 0) ^ 0x01;
    const archive = await PayloadArchive.open(new BufferByteSource('damaged.bin', damaged));
    const system = await archive.partitions[0]!.open();
    const error = await expectInputError(system.read(op.dst[0]![0] * BLOCK, 10));
    expect(error.format).toBe(`payload.bin › system › op ${index}`);
    expect(error.offset).toBe(op.blobOffset);
    expect(error.message).toMatch(/data_sha256_hash/);
    // A REPLACE blob is checked too.
    const replace = opAt('system', 0);
    damaged[replace.op.blobOffset! + 5] = (damaged[replace.op.blobOffset! + 5] ?? 0) ^ 0x01;
    const replaceError = await expectInputError(system.read(0, 10));
    expect(replaceError.format).toBe(`payload.bin › system › op ${replace.index}`);
  });

  it('rejects a manifest size that runs past the end of the file', async () => {
    const damaged = Buffer.from(fullPayload);
    damaged.writeBigUInt64BE(BigInt(fullPayload.length), 12);
    const error = await expectInputError(PayloadArchive.open(new BufferByteSource('big.bin', damaged)));
    expect(error.format).toBe('payload.bin');
    expect(error.offset).toBe(12);
  });

  it('rejects an operation whose dst extent lies past the partition', async () => {
    const image = Buffer.alloc(8 * BLOCK, 1);
    const { bytes } = writePayload({ partitions: [{ name: 'vendor', image, ops: [{ type: OP.REPLACE, dst: [[6, 4]], data: Buffer.alloc(4 * BLOCK, 1) }] }] });
    const error = await expectInputError(PayloadArchive.open(new BufferByteSource('past.bin', bytes)));
    expect(error.format).toBe('payload.bin › vendor › op 0');
    expect(error.message).toMatch(/past the partition's 8 blocks/);
    expect(error.offset).toBeGreaterThan(24);
  });

  it('rejects a blob that decodes to more than its dst extents hold', async () => {
    const image = Buffer.alloc(2 * BLOCK, 0);
    const big = (await import('node:child_process')).execFileSync('xz', ['--check=crc32', '-c'], { input: Buffer.alloc(64 * BLOCK) });
    const { bytes, dataStart } = writePayload({ partitions: [{ name: 'odm', image, ops: [{ type: OP.REPLACE_XZ, dst: [[0, 2]], data: big }] }] });
    const archive = await PayloadArchive.open(new BufferByteSource('bomb.bin', bytes));
    const odm = await archive.partitions[0]!.open();
    const error = await expectInputError(odm.read(0, BLOCK));
    expect(error.format).toBe('payload.bin › odm › op 0');
    expect(error.offset).toBe(dataStart);
    expect(error.message).toMatch(/more than the 8192 expected/);
  });

  it('rejects a file that is not a payload', async () => {
    const error = await expectInputError(PayloadArchive.open(new BufferByteSource('x.bin', Buffer.alloc(100))));
    expect(error.format).toBe('payload.bin');
    expect(error.offset).toBe(0);
  });
});

describe('build-payload.mjs', () => {
  it('wrote an A/B OTA zip around the payload', () => {
    const zip = `${FIXTURES}/ota-full.zip`;
    expect(unzipNames(zip).sort()).toEqual(['META-INF/com/android/metadata', 'payload.bin', 'payload_properties.txt']);
    const metadata = unzipMember(zip, 'META-INF/com/android/metadata').toString('utf8');
    expect(metadata).toMatch(/^ota-type=AB$/m);
    expect(metadata).not.toMatch(/^pre-build=/m);
    expect(unzipMember(`${FIXTURES}/ota-delta.zip`, 'META-INF/com/android/metadata').toString('utf8')).toMatch(/^pre-build=/m);
    const properties = unzipMember(zip, 'payload_properties.txt').toString('utf8');
    expect(properties).toContain(`FILE_SIZE=${fullPayload.length}\n`);
    expect(properties).toContain(`FILE_HASH=${Buffer.from(sha256(fullPayload), 'hex').toString('base64')}\n`);
  });

  it('rebuilds byte-identical fixtures', () => {
    const out = mkdtempSync(join(tmpdir(), 'otalens-payload-rebuild-'));
    try {
      run('node', [`${REPO_ROOT}scripts/fixtures/build-payload.mjs`, out]);
      for (const name of ['ota-full.zip', 'ota-delta.zip', 'payload.json']) {
        expect(sha256(readFileSync(join(out, name))), name).toBe(sha256(readFileSync(`${FIXTURES}/${name}`)));
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
