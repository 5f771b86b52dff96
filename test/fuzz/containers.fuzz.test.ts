/** Fuzzes the container parsers: zip, payload.bin, transfer lists, sparse, super (liblp), tar. */
import { describe, it } from 'vitest';
import { readBootImage } from '../../electron/engine/boot/bootImage.js';
import { parseTransferList } from '../../electron/engine/containers/blockOta/transferList.js';
import { PayloadArchive } from '../../electron/engine/containers/payload/payloadArchive.js';
import { openSparseImage } from '../../electron/engine/containers/sparse.js';
import { openSuperImage } from '../../electron/engine/containers/superImage.js';
import { TarArchive } from '../../electron/engine/containers/tar/tarArchive.js';
import { BufferByteSource } from '../../electron/engine/io/byteSource.js';
import { ZipArchive } from '../../electron/engine/zip/zipArchive.js';
import { sampleSource } from './exercise.js';
import { fuzz, FUZZ_TEST_TIMEOUT, fuzzRuns } from './harness.js';
import { fixture, zipMember } from './seeds.js';

const SAMPLE = 64 << 10;

async function readZip(input: Buffer): Promise<void> {
  const zip = await ZipArchive.open(new BufferByteSource('fuzz.zip', input));
  try {
    for (const member of zip.members.slice(0, 50)) {
      if (member.isDirectory) continue;
      const source = await zip.openSource(member);
      try {
        await sampleSource(source, SAMPLE);
      } finally {
        await source.close();
      }
    }
  } finally {
    await zip.close();
  }
}

describe('fuzzing the container parsers', () => {
  it('zip: central directory, local headers, stored and deflated members', async () => {
    const seed = fixture('scenarios/file-ota/literal-on-4.7.4.zip');
    await fuzz({ parse: readZip }, seed, { runs: fuzzRuns(80), focusStart: Math.max(0, seed.length - 8192), focus: 8192 });
    await fuzz({ parse: readZip }, fixture('apk/mms.apk'), { runs: fuzzRuns(80) });
  }, FUZZ_TEST_TIMEOUT);

  it('payload.bin: header, manifest protobuf, signatures, partition operations', async () => {
    const seed = zipMember('payload/ota-full.zip', 'payload.bin');
    const parse = async (input: Buffer): Promise<void> => {
      const payload = await PayloadArchive.open(new BufferByteSource('payload.bin', input));
      try {
        for (const partition of payload.partitions) {
          const source = await partition.open();
          try {
            await sampleSource(source, SAMPLE);
          } finally {
            await source.close();
          }
        }
      } finally {
        await payload.close();
      }
    };
    await fuzz({ parse, timeoutMs: 10_000 }, seed, { runs: fuzzRuns(60), focus: 4096 });
  }, FUZZ_TEST_TIMEOUT);

  it('transfer list: versions, commands, range sets', async () => {
    const seed = zipMember('block-ota/block-ota.zip', 'system.transfer.list');
    const incremental = fixture('block-ota/system.transfer.list');
    const parse = async (input: Buffer): Promise<unknown> => parseTransferList(input.toString('latin1'), 'system.transfer.list');
    await fuzz({ parse }, seed, { runs: fuzzRuns(400) });
    await fuzz({ parse }, incremental, { runs: fuzzRuns(300) });
  }, FUZZ_TEST_TIMEOUT);

  it('sparse and super (liblp): chunk headers, geometry, metadata tables, extents', async () => {
    const seed = fixture('sparse/super.simg');
    const parse = async (input: Buffer): Promise<void> => {
      const source = new BufferByteSource('super.img', input);
      const sparse = await openSparseImage(source);
      await sampleSource(sparse, SAMPLE);
      const opened = await openSuperImage(source);
      for (const partition of opened.partitions) await sampleSource(await partition.open(), SAMPLE);
    };
    await fuzz({ parse }, seed, { runs: fuzzRuns(80), focus: 16384 });
  }, FUZZ_TEST_TIMEOUT);

  it('tar: headers, pax records, long names, gzip stream', async () => {
    const parse = async (input: Buffer): Promise<void> => {
      const archive = await TarArchive.open(new BufferByteSource('factory.tar', input));
      try {
        for (const member of archive.members.slice(0, 50)) {
          if (member.type === 'file') await sampleSource(member.open(), SAMPLE);
        }
      } finally {
        await archive.close();
      }
    };
    await fuzz({ parse }, fixture('factory/example-fastboot-1234.tar'), { runs: fuzzRuns(150), focus: 8192 });
    await fuzz({ parse }, fixture('factory/example-fastboot-1234.tgz'), { runs: fuzzRuns(60), focus: 512 });
  }, FUZZ_TEST_TIMEOUT);

  it('boot images: boot and vendor boot headers v0–v4, kernels raw, gzip and legacy LZ4', async () => {
    const parse = async (input: Buffer): Promise<void> => {
      await readBootImage('boot', new BufferByteSource('boot.img', input), []);
    };
    for (const seed of ['boot/boot-v0.img', 'boot/boot-v1-zimage.img', 'boot/boot-v3-lz4.img', 'boot/vendor_boot-v4.img']) {
      await fuzz({ parse }, fixture(seed), { runs: fuzzRuns(40), focus: 8192 });
    }
  }, FUZZ_TEST_TIMEOUT);
});
