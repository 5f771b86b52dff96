// Cuts a partition image into 2 MiB operations and writes their blobs, front to back, with the
// standard compressors (one process per blob, as many at once as there are cores):
// all-zero chunks become ZERO, every 50th data chunk REPLACE, the others REPLACE_XZ (`xz -0`) and
// ZSTD (`zstd -1`, told the input size so the frame states its content size, as payload generators
// write it) in turn. Every blob carries its SHA-256 (data_sha256_hash).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { BLOCK_SIZE, Op } from './payloadManifest.mjs';

export const CHUNK_BYTES = 2 << 20;
const REPLACE_EVERY = 50;

function compressor(type, length) {
  return type === Op.REPLACE_XZ ? ['xz', ['-0', '-T1', '--check=crc32', '-c']] : ['zstd', ['-1', '-T1', '-q', '-c', `--stream-size=${length}`]];
}

function runCompressor(type, input) {
  const [command, args] = compressor(type, input.length);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const output = [];
    const errors = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => errors.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(output));
      else reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${Buffer.concat(errors).toString()}`));
    });
    child.stdin.end(input);
  });
}

function isZero(bytes) {
  return bytes[0] === 0 && bytes.subarray(1).equals(bytes.subarray(0, bytes.length - 1));
}

/**
 * Reads `imagePath` as a partition of `partitionSize` bytes (zeros past the image's end) and
 * writes the blobs to `blobsPath`. Returns { ops, blobBytes, partitionSha256 }; each op is
 * { type, dstStartBlock, dstBlocks, dataOffset?, dataLength?, sha256? }.
 */
export async function writePartitionBlobs({ imagePath, imageSize, partitionSize, blobsPath, onProgress }) {
  const image = await open(imagePath, 'r');
  const blobs = await open(blobsPath, 'w');
  const partitionHash = createHash('sha256');
  const ops = [];
  const pending = [];
  const window = availableParallelism() * 2;
  let blobBytes = 0;
  let dataChunks = 0;
  const finish = async ({ op, blob }) => {
    if (blob !== undefined) {
      op.dataOffset = blobBytes;
      op.dataLength = blob.length;
      op.sha256 = createHash('sha256').update(blob).digest();
      await blobs.write(blob, 0, blob.length, blobBytes);
      blobBytes += blob.length;
    }
    ops.push(op);
    onProgress?.(ops.length);
  };
  try {
    for (let start = 0; start < partitionSize; start += CHUNK_BYTES) {
      const length = Math.min(CHUNK_BYTES, partitionSize - start);
      const chunk = Buffer.alloc(length);
      if (start < imageSize) await image.read(chunk, 0, Math.min(length, imageSize - start), start);
      partitionHash.update(chunk);
      const op = { dstStartBlock: start / BLOCK_SIZE, dstBlocks: Math.ceil(length / BLOCK_SIZE) };
      if (isZero(chunk)) {
        pending.push(Promise.resolve({ op: { ...op, type: Op.ZERO } }));
      } else {
        const type = dataChunks % REPLACE_EVERY === REPLACE_EVERY - 1 ? Op.REPLACE : dataChunks % 2 === 0 ? Op.REPLACE_XZ : Op.ZSTD;
        dataChunks++;
        pending.push(type === Op.REPLACE ? Promise.resolve({ op: { ...op, type }, blob: chunk }) : runCompressor(type, chunk).then((blob) => ({ op: { ...op, type }, blob })));
      }
      // A failed compressor is reported when its turn comes, not as an unhandled rejection.
      pending.at(-1).catch(() => undefined);
      while (pending.length >= window) await finish(await pending.shift());
    }
    while (pending.length > 0) await finish(await pending.shift());
  } finally {
    await image.close();
    await blobs.close();
  }
  return { ops, blobBytes, partitionSha256: partitionHash.digest() };
}
