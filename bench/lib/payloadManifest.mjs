// The metadata part of a full A/B payload.bin ("CrAU" version 2) whose blobs are written
// elsewhere, so a multi-GB payload never has to be in memory: header, DeltaArchiveManifest
// (AOSP system/update_engine/update_metadata.proto) and a placeholder metadata signature; plus the
// placeholder payload signature that follows the blobs.
//
// scripts/fixtures/build-payload.mjs writes small payloads with every image and blob in memory;
// this writer takes operations that already know their blob offset, length and hash.

import { key, uint, bytesField, message, string } from '../../scripts/fixtures/lib/protobufWriter.mjs';

export const BLOCK_SIZE = 4096;
export const Op = { REPLACE: 0, ZERO: 6, REPLACE_XZ: 8, ZSTD: 14 };
const SIGNATURE_SIZE = 256;


/** op: { type, dstStartBlock, dstBlocks, dataOffset?, dataLength?, sha256? (Buffer) } */
function operationMessage(op) {
  const parts = [uint(1, op.type)];
  if (op.dataLength !== undefined) parts.push(uint(2, op.dataOffset), uint(3, op.dataLength));
  parts.push(message(6, [uint(1, op.dstStartBlock), uint(2, op.dstBlocks)]));
  if (op.sha256 !== undefined) parts.push(bytesField(8, op.sha256));
  return message(8, parts);
}

function placeholderSignatures() {
  return message(1, [bytesField(2, Buffer.alloc(SIGNATURE_SIZE, 0xab)), Buffer.concat([key(3, 5), Buffer.from([SIGNATURE_SIZE & 0xff, SIGNATURE_SIZE >> 8, 0, 0])])]);
}

/**
 * partitions: [{ name, size, sha256 (Buffer), ops }]; blobBytes: total length of the blobs.
 * Returns `head` (header, manifest, metadata signature: the blobs follow it), `tail` (the payload
 * signature, after the blobs) and `metadataSize` (header + manifest, for payload_properties.txt).
 */
export function payloadMetadata({ partitions, blobBytes, timestamp }) {
  const payloadSignature = placeholderSignatures();
  const manifest = Buffer.concat([
    uint(3, BLOCK_SIZE),
    uint(4, blobBytes),
    uint(5, payloadSignature.length),
    uint(12, 0), // minor_version 0: a full payload
    ...partitions.map((partition) =>
      message(13, [string(1, partition.name), message(7, [uint(1, partition.size), bytesField(2, partition.sha256)]), ...partition.ops.map(operationMessage), string(17, String(timestamp))]),
    ),
    uint(14, timestamp),
  ]);
  const metadataSignature = placeholderSignatures();
  const header = Buffer.alloc(24);
  header.write('CrAU', 0, 'latin1');
  header.writeBigUInt64BE(2n, 4);
  header.writeBigUInt64BE(BigInt(manifest.length), 12);
  header.writeUInt32BE(metadataSignature.length, 20);
  return { head: Buffer.concat([header, manifest, metadataSignature]), tail: payloadSignature, metadataSize: header.length + manifest.length };
}
