// Independent oracles: answers come from Info-ZIP, coreutils and Python's zipfile, never from
// OTA Lens's own code. A missing tool makes the test fail loudly (CI installs them).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SAMPLE_OLD = `${REPO_ROOT}samples/sample-old.zip`;
export const SAMPLE_NEW = `${REPO_ROOT}samples/sample-new.zip`;

function tool(command: string, args: string[], input?: string): Buffer {
  try {
    return execFileSync(command, args, { maxBuffer: 256 << 20, input, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`oracle tool "${command}" is not installed (CI installs it: see .ci/run)`, { cause: error });
    throw error;
  }
}

/** The text of a PDF as poppler's pdftotext reads it, in reading order. */
export function pdfText(pdfPath: string): string {
  return tool('pdftotext', ['-enc', 'UTF-8', pdfPath, '-']).toString('utf8');
}

/** Member names as Info-ZIP lists them. */
export function unzipNames(zipPath: string): string[] {
  return tool('zipinfo', ['-1', zipPath]).toString('utf8').split('\n').filter((line) => line !== '');
}

/** A member's bytes as Info-ZIP extracts them. */
export function unzipMember(zipPath: string, member: string): Buffer {
  return tool('unzip', ['-p', zipPath, member]);
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** sha256sum's answer for a file on disk. */
export function sha256sumFile(path: string): string {
  return tool('sha256sum', [path]).toString('utf8').split(' ')[0] ?? '';
}

/** Properties of a build.prop as a plain reading of its `name=value` lines (the oracle's own parse). */
export function propsFromText(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.includes('=')) continue;
    const at = line.indexOf('=');
    result[line.slice(0, at)] = line.slice(at + 1);
  }
  return result;
}

/** Where each member's local header and data start, according to Python's zipfile. */
export function zipLayout(zipPath: string): { name: string; headerOffset: number; dataOffset: number; compressedSize: number }[] {
  const script = `
import json, struct, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
out = []
with open(sys.argv[1], 'rb') as f:
    for i in z.infolist():
        f.seek(i.header_offset)
        h = f.read(30)
        n, e = struct.unpack('<HH', h[26:30])
        out.append({'name': i.filename, 'headerOffset': i.header_offset, 'dataOffset': i.header_offset + 30 + n + e, 'compressedSize': i.compress_size})
print(json.dumps(out))
`;
  return JSON.parse(tool('python3', ['-c', script, zipPath]).toString('utf8'));
}

/** Runs keytool/apksigner with UTF-8 output whatever the locale (Java prints `?` otherwise). */
export function javaTool(command: string, args: string[]): string {
  const env = { ...process.env, JAVA_TOOL_OPTIONS: '-Dfile.encoding=UTF-8 -Dsun.stdout.encoding=UTF-8 -Dstdout.encoding=UTF-8' };
  try {
    return execFileSync(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`tool "${command}" is not installed (CI installs it: see .ci/run)`, { cause: error });
    throw error;
  }
}

export function run(command: string, args: string[], cwd?: string): string {
  try {
    return execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`tool "${command}" is not installed (CI installs it: see .ci/run)`, { cause: error });
    throw error;
  }
}

/** What a command prints on stdout, as bytes (a decompressor's output, say). */
export function toolOutput(command: string, args: string[]): Buffer {
  return tool(command, args);
}

export interface UnpackedBootImage {
  /** unpack_bootimg's printed fields, e.g. `os patch level` → `2024-12`. */
  fields: Map<string, string>;
  /** The kernel file it wrote, null when the image has none. */
  kernel: Buffer | null;
}

/** AOSP's unpack_bootimg (Debian's mkbootimg package) on a boot image, unpacked into `out`. */
export function unpackBootImage(imagePath: string, out: string): UnpackedBootImage {
  const printed = run('unpack_bootimg', ['--boot_img', imagePath, '--out', out]);
  const fields = new Map(printed.split('\n').filter((line) => line.includes(': ')).map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)] as [string, string]));
  const kernelFile = join(out, 'kernel');
  return { fields, kernel: existsSync(kernelFile) ? readFileSync(kernelFile) : null };
}

/** Like run, with `input` on the tool's stdin. */
export function runWithInput(command: string, args: string[], input: Buffer | string): string {
  try {
    return execFileSync(command, args, { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`tool "${command}" is not installed (CI installs it: see .ci/run)`, { cause: error });
    throw error;
  }
}
