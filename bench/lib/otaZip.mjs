// Writes an A/B OTA zip around a payload whose blobs are in a file: payload.bin (STORED, zip64
// when large) streamed from head + blobs + tail, payload_properties.txt (FILE_HASH, METADATA_HASH…)
// and META-INF/com/android/metadata. Python's zipfile does the zip, hashing while it copies, so the
// blobs are read once. Returns where payload.bin's bytes start in the zip and its size.
import { execFileSync } from 'node:child_process';

const SCRIPT = `
import base64, hashlib, json, struct, sys, zipfile
spec = json.load(sys.stdin)
def member(name, stored):
    info = zipfile.ZipInfo(name, date_time=(2023, 11, 14, 22, 13, 20))
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info
head = open(spec['head'], 'rb').read()
tail = open(spec['tail'], 'rb').read()
size = len(head) + spec['blobBytes'] + len(tail)
file_hash = hashlib.sha256()
with zipfile.ZipFile(spec['zip'], 'w', allowZip64=True) as z:
    payload = member('payload.bin', True)
    payload.file_size = size
    with z.open(payload, 'w') as out:
        def put(part):
            out.write(part)
            file_hash.update(part)
        put(head)
        with open(spec['blobs'], 'rb') as blobs:
            while True:
                part = blobs.read(8 << 20)
                if not part:
                    break
                put(part)
        put(tail)
    b64 = lambda digest: base64.b64encode(digest).decode()
    properties = 'FILE_HASH=%s\\nFILE_SIZE=%d\\nMETADATA_HASH=%s\\nMETADATA_SIZE=%d\\n' % (
        b64(file_hash.digest()), size, b64(hashlib.sha256(head[:spec['metadataSize']]).digest()), spec['metadataSize'])
    z.writestr(member('payload_properties.txt', True), properties)
    z.writestr(member('META-INF/com/android/metadata', False), spec['metadata'])
with open(spec['zip'], 'rb') as f:
    offset = zipfile.ZipFile(f).getinfo('payload.bin').header_offset
    f.seek(offset)
    local = f.read(30)
    name_length, extra_length = struct.unpack('<HH', local[26:30])
print(json.dumps({'payloadOffset': offset + 30 + name_length + extra_length, 'payloadSize': size}))
`;

export function writeOtaZip({ zipPath, headPath, blobsPath, tailPath, blobBytes, metadataSize, metadata }) {
  const metadataText = Object.entries(metadata)
    .map(([name, value]) => `${name}=${value}\n`)
    .join('');
  const spec = { zip: zipPath, head: headPath, blobs: blobsPath, tail: tailPath, blobBytes, metadataSize, metadata: metadataText };
  return JSON.parse(execFileSync('python3', ['-c', SCRIPT], { input: JSON.stringify(spec) }).toString());
}
