/**
 * `etc/aconfig_flags.pb`: the aconfig flags a partition or APEX ships (Android 14+), a protobuf
 * `android.aconfig.parsed_flags` message as AOSP's build/tools/aconfig/aconfig_protos/protos/aconfig.proto
 * defines it: repeated `parsed_flag` (1), each with package (1), name (2), namespace (3),
 * description (4), bug (5, repeated), state (6: ENABLED 1, DISABLED 2), permission (7: READ_ONLY 1,
 * READ_WRITE 2), trace (8, repeated), is_fixed_read_only (9), is_exported (10), container (11) and
 * metadata (12).
 */
import type { FeatureFlag, FlagPermission, FlagState } from '../../../shared/flags.js';
import type { Problem } from '../../../shared/model.js';
import { ProtobufError, ProtobufReader, WIRE_BYTES, WIRE_VARINT, type ProtobufField } from '../codecs/protobuf.js';
import { InputError } from '../errors.js';

const STATES: Readonly<Record<number, FlagState>> = { 1: 'enabled', 2: 'disabled' };
const PERMISSIONS: Readonly<Record<number, FlagPermission>> = { 1: 'read-only', 2: 'read-write' };

/** One `parsed_flag` as the file has it, before the checks that make it a FeatureFlag. */
interface ParsedFlag {
  package: string | null;
  name: string | null;
  namespace: string | null;
  description: string | null;
  state: number | null;
  permission: number | null;
  fixedReadOnly: boolean;
  container: string | null;
  /** Offset of the parsed_flag message in the file. */
  offset: number;
}

export interface AconfigFlagsFile {
  flags: FeatureFlag[];
  /** Flags left out (no package or name), and values out of the schema's range. */
  problems: Problem[];
}

/**
 * Reads one aconfig_flags.pb. A file that is no parsed_flags message throws InputError (file,
 * `aconfig_flags.pb`, offset); a flag without package or name is left out and reported, an
 * unknown state or permission is kept as null and reported.
 */
export function parseAconfigFlagsPb(bytes: Buffer, devicePath: string): AconfigFlagsFile {
  const parsed: ParsedFlag[] = [];
  try {
    const reader = new ProtobufReader(bytes);
    for (let field = reader.next(); field !== undefined; field = reader.next()) {
      if (field.number !== 1) {
        reader.skip(field.wireType);
        continue;
      }
      reader.expect(field, WIRE_BYTES);
      parsed.push(readParsedFlag(reader.message()));
    }
  } catch (error) {
    if (!(error instanceof ProtobufError)) throw error;
    throw new InputError(error.message, { file: devicePath, format: 'aconfig_flags.pb', offset: error.offset, expected: 'an android.aconfig.parsed_flags protobuf message' });
  }
  const problems: Problem[] = [];
  const flags: FeatureFlag[] = [];
  parsed.forEach((flag, index) => {
    const label = `parsed_flag ${index} (at offset ${flag.offset})`;
    if (flag.package === null || flag.name === null) {
      problems.push({ path: devicePath, message: `${label} left out: it has no ${flag.package === null ? 'package' : 'name'}` });
      return;
    }
    const name = `${flag.package}.${flag.name}`;
    const state = flag.state === null ? null : (STATES[flag.state] ?? null);
    const permission = flag.permission === null ? null : (PERMISSIONS[flag.permission] ?? null);
    if (state === null) problems.push({ path: devicePath, message: `flag ${name}: ${flag.state === null ? 'no state' : `unknown state ${flag.state}`} (expected ENABLED or DISABLED)` });
    if (permission === null) problems.push({ path: devicePath, message: `flag ${name}: ${flag.permission === null ? 'no permission' : `unknown permission ${flag.permission}`} (expected READ_ONLY or READ_WRITE)` });
    const result: FeatureFlag = { name, namespace: flag.namespace, package: flag.package, state, permission, container: flag.container, source: 'aconfig', file: devicePath };
    if (flag.fixedReadOnly) result.fixedReadOnly = true;
    if (flag.description !== null && flag.description !== '') result.description = flag.description;
    flags.push(result);
  });
  return { flags, problems };
}

function readParsedFlag(reader: ProtobufReader): ParsedFlag {
  const flag: ParsedFlag = { package: null, name: null, namespace: null, description: null, state: null, permission: null, fixedReadOnly: false, container: null, offset: reader.fileOffset };
  const text = (field: ProtobufField): string => {
    reader.expect(field, WIRE_BYTES);
    return reader.string();
  };
  const number = (field: ProtobufField): number => {
    reader.expect(field, WIRE_VARINT);
    return reader.varint();
  };
  for (let field = reader.next(); field !== undefined; field = reader.next()) {
    switch (field.number) {
      case 1:
        flag.package = text(field);
        break;
      case 2:
        flag.name = text(field);
        break;
      case 3:
        flag.namespace = text(field);
        break;
      case 4:
        flag.description = text(field);
        break;
      case 6:
        flag.state = number(field);
        break;
      case 7:
        flag.permission = number(field);
        break;
      case 9:
        flag.fixedReadOnly = number(field) !== 0;
        break;
      case 11:
        flag.container = text(field);
        break;
      default:
        reader.skip(field.wireType);
    }
  }
  return flag;
}
