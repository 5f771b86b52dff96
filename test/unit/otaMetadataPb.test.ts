import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describePackage } from '../../electron/engine/describe.js';
import { InputError } from '../../electron/engine/errors.js';
import { parseOtaMetadataPb } from '../../electron/engine/formats/otaMetadataPb.js';
import { run } from '../support/oracles.js';

const temp = mkdtempSync(join(tmpdir(), 'otalens-metadata-pb-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

// OtaMetadata encoded by hand in Python from ota_metadata.proto's field numbers: an encoder that
// shares no code with the decoder under test.
const ENCODER = `
import sys, zipfile
def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7f; n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n: return bytes(out)
def field(number, wire, payload):
    key = varint(number << 3 | wire)
    return key + (varint(len(payload)) + payload if wire == 2 else payload)
def s(number, text): return field(number, 2, text.encode())
pre = s(1, 'tree') + s(2, 'Example/tree/tree:13/TQ1A/9:user/release-keys')
post = s(1, 'tree') + s(2, 'Example/tree/tree:14/UQ1A/10:user/release-keys') + s(3, '10') + field(4, 0, varint(1704412800)) + s(5, '34') + s(6, '2024-01-05')
metadata = field(1, 0, varint(1)) + field(3, 0, varint(1)) + field(6, 2, post)
if sys.argv[2] == 'incremental': metadata += field(5, 2, pre)
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('META-INF/com/android/metadata.pb', metadata)
    z.writestr('system/build.prop', 'ro.build.id=UQ1A\\n')
`;

describe('metadata.pb', () => {
  it('is read into the text metadata keys and feeds the build facts', async () => {
    const zip = join(temp, 'full.zip');
    run('python3', ['-c', ENCODER, zip, 'full']);
    const description = await describePackage(zip);
    expect(description.otaMetadata).toEqual({
      'ota-downgrade': 'yes',
      'ota-type': 'AB',
      'post-build': 'Example/tree/tree:14/UQ1A/10:user/release-keys',
      'post-build-incremental': '10',
      'post-device': 'tree',
      'post-sdk-level': '34',
      'post-security-patch-level': '2024-01-05',
      'post-timestamp': '1704412800',
    });
    expect(description.fingerprint).toBe('Example/tree/tree:14/UQ1A/10:user/release-keys');
    expect(description.fingerprintSource).toBe('META-INF/com/android/metadata post-build');
    expect(description.securityPatch).toBe('2024-01-05');
  });

  it('marks an incremental package by its precondition', async () => {
    const zip = join(temp, 'incremental.zip');
    run('python3', ['-c', ENCODER, zip, 'incremental']);
    await expect(describePackage(zip)).rejects.toThrow(/changes from build Example\/tree\/tree:13\/TQ1A\/9:user\/release-keys/);
  });

  it('names the file and offset of a truncated message', () => {
    const error = (() => {
      try {
        return parseOtaMetadataPb(Buffer.from([0x32, 0x10, 0x12]), 'x.zip › metadata.pb');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^x\.zip › metadata\.pb: metadata\.pb at offset 2: field of 16 bytes runs past the end/);
  });
});
