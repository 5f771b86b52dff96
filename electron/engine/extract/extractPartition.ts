import { readChunks, type ByteSource } from '../io/byteSource.js';
import { createNew, writeOrRemove } from './outputFolder.js';

const CHUNK = 1 << 20;

function isAllZero(chunk: Buffer): boolean {
  // Equal to itself shifted by one byte: all bytes are the same, and the first is zero.
  return chunk.length === 0 || (chunk[0] === 0 && chunk.subarray(1).equals(chunk.subarray(0, chunk.length - 1)));
}

/**
 * Writes a partition image to a new file at `path` (never an existing file or a link): the raw
 * logical image, after sparse, payload or super decoding. Runs of zeros are left as holes (the
 * file is a sparse file where the file system allows it), so a mostly empty super image costs no
 * disk. A file left half-written by an error is removed.
 */
export async function extractPartition(image: ByteSource, path: string, onProgress?: (bytes: number) => void): Promise<void> {
  const handle = await createNew(path);
  await writeOrRemove(handle, path, async () => {
    let position = 0;
    for await (const chunk of readChunks(image, 0, image.size, CHUNK)) {
      if (!isAllZero(chunk)) await handle.write(chunk, 0, chunk.length, position);
      position += chunk.length;
      onProgress?.(position);
    }
    await handle.truncate(image.size);
  });
}
