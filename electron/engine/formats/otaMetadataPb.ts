import { ProtobufError, ProtobufReader, WIRE_BYTES, WIRE_VARINT } from '../codecs/protobuf.js';
import { InputError } from '../errors.js';

/**
 * `META-INF/com/android/metadata.pb` (AOSP build/make/tools/releasetools/ota_metadata.proto,
 * `OtaMetadata`), read into the same keys the legacy text file uses (`ota-type`, `post-build`,
 * `pre-build`, `post-security-patch-level`…), so either file answers the same questions.
 */
export function parseOtaMetadataPb(bytes: Buffer, file: string): Record<string, string> {
  const result: Record<string, string> = {};
  try {
    const reader = new ProtobufReader(bytes);
    for (let field = reader.next(); field !== undefined; field = reader.next()) {
      if (field.number === 1 && field.wireType === WIRE_VARINT) result['ota-type'] = OTA_TYPES[reader.varint()] ?? 'UNKNOWN';
      else if (field.number === 2 && field.wireType === WIRE_VARINT) setFlag(result, 'ota-wipe', reader.varint());
      else if (field.number === 3 && field.wireType === WIRE_VARINT) setFlag(result, 'ota-downgrade', reader.varint());
      else if (field.number === 5 && field.wireType === WIRE_BYTES) readDeviceState(reader.message(), 'pre', result);
      else if (field.number === 6 && field.wireType === WIRE_BYTES) readDeviceState(reader.message(), 'post', result);
      else if (field.number === 7 && field.wireType === WIRE_VARINT) setFlag(result, 'ota-retrofit-dynamic-partitions', reader.varint());
      else reader.skip(field.wireType);
    }
  } catch (error) {
    if (!(error instanceof ProtobufError)) throw error;
    throw new InputError(error.message, { file, format: 'metadata.pb', offset: error.offset, expected: 'an OtaMetadata protobuf message' });
  }
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const OTA_TYPES = ['UNKNOWN', 'AB', 'BLOCK', 'BRICK'];

function setFlag(result: Record<string, string>, key: string, value: number): void {
  if (value !== 0) result[key] = 'yes';
}

/** DeviceState: device=1, build=2, build_incremental=3, timestamp=4, sdk_level=5, security_patch_level=6. */
function readDeviceState(reader: ProtobufReader, side: 'pre' | 'post', result: Record<string, string>): void {
  const devices: string[] = [];
  const builds: string[] = [];
  for (let field = reader.next(); field !== undefined; field = reader.next()) {
    if (field.wireType === WIRE_BYTES && field.number === 1) devices.push(reader.string());
    else if (field.wireType === WIRE_BYTES && field.number === 2) builds.push(reader.string());
    else if (field.wireType === WIRE_BYTES && field.number === 3) result[`${side}-build-incremental`] = reader.string();
    else if (field.wireType === WIRE_VARINT && field.number === 4) result[`${side}-timestamp`] = String(reader.varint());
    else if (field.wireType === WIRE_BYTES && field.number === 5) result[`${side}-sdk-level`] = reader.string();
    else if (field.wireType === WIRE_BYTES && field.number === 6) result[`${side}-security-patch-level`] = reader.string();
    else reader.skip(field.wireType);
  }
  if (devices.length > 0) result[`${side}-device`] = devices.join('|');
  if (builds.length > 0) result[`${side}-build`] = builds.join('|');
}
