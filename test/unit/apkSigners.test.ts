/**
 * APK signers against apksigner (`apksigner verify --verbose --print-certs`), run in the test on the
 * committed fixtures (scripts/fixtures/build-signed-apks.mjs), on a third-party APK fetched with npm,
 * and on corrupted copies.
 *
 * apksigner prints the signers of the newest scheme it verified, so each scheme's signers come from
 * a run limited to the Android versions where that scheme is the newest: v1 up to API 23, v2 up to
 * API 27, v3 with no limit.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApkSigner, SignatureScheme } from '../../shared/app.js';
import { readApkSigners, type ApkSigners } from '../../electron/engine/android/signing/index.js';
import { BufferByteSource } from '../../electron/engine/io/byteSource.js';
import { ZipArchive } from '../../electron/engine/zip/zipArchive.js';
import { REPO_ROOT, run, sha256, unzipMember, unzipNames, javaTool } from '../support/oracles.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/signing');
const FIXTURE_APKS = ['rsa-v1v2v3.apk', 'ec-v1v2v3.apk', 'v1-only.apk', 'v2-only.apk', 'two-signers.apk', 'rotated-v3.apk', 'chain-v1v2v3.apk'];
const temp = mkdtempSync(join(tmpdir(), 'otalens-signers-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

// ---------------------------------------------------------------- the apksigner oracle

/** Java tools print through the platform charset: ask for UTF-8 so non-ASCII subjects survive a C locale. */
interface ApksignerRun {
  schemes: Set<SignatureScheme>;
  signers: { certificateSha256: string; subject: string }[];
}

function apksigner(apk: string, options: string[] = []): ApksignerRun {
  const output = javaTool('apksigner', ['verify', '--verbose', '--print-certs', ...options, apk]);
  if (!output.startsWith('Verifies')) throw new Error(`apksigner does not verify ${apk}:\n${output}`);
  const schemes = new Set<SignatureScheme>();
  for (const match of output.matchAll(/^Verified using (v[1-3]) scheme \(.*\): true$/gm)) schemes.add(match[1] as SignatureScheme);
  const subjects = new Map<string, string>();
  const digests = new Map<string, string>();
  for (const match of output.matchAll(/^Signer #(\d+) certificate DN: (.*)$/gm)) subjects.set(match[1] ?? '', match[2] ?? '');
  for (const match of output.matchAll(/^Signer #(\d+) certificate SHA-256 digest: ([0-9a-f]{64})$/gm)) digests.set(match[1] ?? '', match[2] ?? '');
  const signers = [...digests].map(([number, certificateSha256]) => ({ certificateSha256, subject: subjects.get(number) ?? '(no DN printed)' }));
  if (signers.length === 0) throw new Error(`apksigner printed no signer for ${apk}:\n${output}`);
  return { schemes, signers };
}

/** (scheme, digest, subject) of every signer, as apksigner sees them, one scheme at a time. */
function oracleSigners(apk: string): ApkSigner[] {
  const all = apksigner(apk);
  const expected: ApkSigner[] = [];
  const add = (scheme: SignatureScheme, runForScheme: ApksignerRun): void => {
    for (const signer of runForScheme.signers) expected.push({ scheme, ...signer });
  };
  if (all.schemes.has('v1')) {
    const v1 = apksigner(apk, ['--max-sdk-version', '23']);
    expect([...v1.schemes], 'the API ≤ 23 run verifies v1 only').toEqual(['v1']);
    add('v1', v1);
  }
  if (all.schemes.has('v2')) {
    const v2 = apksigner(apk, ['--max-sdk-version', '27']);
    expect(v2.schemes.has('v2') && !v2.schemes.has('v3'), 'the API ≤ 27 run verifies v2 and not v3').toBe(true);
    add('v2', v2);
  }
  if (all.schemes.has('v3')) add('v3', all);
  return expected;
}

function keyed(signers: readonly ApkSigner[]): string[] {
  return signers.map((signer) => `${signer.scheme} ${signer.certificateSha256} ${signer.subject}`).sort();
}

async function signersOf(bytes: Buffer, name: string): Promise<ApkSigners> {
  const source = new BufferByteSource(name, bytes);
  const zip = await ZipArchive.open(source);
  try {
    return await readApkSigners(source, zip, { file: `/system/app/${name}` });
  } finally {
    await zip.close();
  }
}

// ---------------------------------------------------------------- an independent look at the block

interface Pair {
  id: number;
  /** Offset of the pair's u64 length field. */
  offset: number;
  length: number;
}

interface BlockLayout {
  centralDirectoryOffset: number;
  endRecordOffset: number;
  blockOffset: number;
  pairs: Pair[];
}

/** The APK Signing Block's pairs, found the way the format describes them (APKs built here have no zip comment). */
function blockLayout(bytes: Buffer): BlockLayout {
  const endRecordOffset = bytes.length - 22;
  expect(bytes.readUInt32LE(endRecordOffset)).toBe(0x06054b50);
  const centralDirectoryOffset = bytes.readUInt32LE(endRecordOffset + 16);
  expect(bytes.toString('latin1', centralDirectoryOffset - 16, centralDirectoryOffset)).toBe('APK Sig Block 42');
  const size = Number(bytes.readBigUInt64LE(centralDirectoryOffset - 24));
  const blockOffset = centralDirectoryOffset - size - 8;
  const pairs: Pair[] = [];
  for (let at = blockOffset + 8; at < centralDirectoryOffset - 24; ) {
    const length = Number(bytes.readBigUInt64LE(at));
    pairs.push({ id: bytes.readUInt32LE(at + 8), offset: at, length });
    at += 8 + length;
  }
  return { centralDirectoryOffset, endRecordOffset, blockOffset, pairs };
}

const V2 = 0x7109871a;
const V3 = 0xf05368c0;
const V31 = 0x1b93ad61;

function pairOf(layout: BlockLayout, id: number): Pair {
  const pair = layout.pairs.find((candidate) => candidate.id === id);
  if (pair === undefined) throw new Error(`no pair ${id.toString(16)}`);
  return pair;
}

/** Offsets inside a v2/v3 pair value: signer list, first signer, its signed data, certificates, first certificate. */
function firstSignerFields(bytes: Buffer, pair: Pair): { signerLength: number; signedDataLength: number; certificatesLength: number; certificateLength: number } {
  const signerLength = pair.offset + 12 + 4; // after the pair header and the signer list's length
  const signedDataLength = signerLength + 4;
  const digestsLength = signedDataLength + 4;
  const certificatesLength = digestsLength + 4 + bytes.readUInt32LE(digestsLength);
  return { signerLength, signedDataLength, certificatesLength, certificateLength: certificatesLength + 4 };
}

/** The APK with its signing block replaced by one holding these pairs (central directory moved to follow it). */
function withSigningBlock(bytes: Buffer, pairs: { id: number; value: Buffer }[]): Buffer {
  const layout = blockLayout(bytes);
  const body = Buffer.concat(
    pairs.map(({ id, value }) => {
      const header = Buffer.alloc(12);
      header.writeBigUInt64LE(BigInt(value.length + 4), 0);
      header.writeUInt32LE(id, 8);
      return Buffer.concat([header, value]);
    }),
  );
  const size = BigInt(body.length + 24);
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(size);
  const footer = Buffer.concat([Buffer.alloc(8), Buffer.from('APK Sig Block 42', 'latin1')]);
  footer.writeBigUInt64LE(size);
  const block = Buffer.concat([head, body, footer]);
  const tail = Buffer.from(bytes.subarray(layout.centralDirectoryOffset));
  tail.writeUInt32LE(layout.blockOffset + block.length, tail.length - 22 + 16);
  return Buffer.concat([bytes.subarray(0, layout.blockOffset), block, tail]);
}

// ---------------------------------------------------------------- tests

describe('readApkSigners against apksigner', () => {
  it('has every fixture the build script writes', () => {
    expect(readdirSync(FIXTURES).filter((name) => name.endsWith('.apk')).sort()).toEqual([...FIXTURE_APKS].sort());
  });

  for (const name of FIXTURE_APKS) {
    it(`reports the signers apksigner prints for ${name}`, async () => {
      const path = join(FIXTURES, name);
      const result = await signersOf(readFileSync(path), name);
      expect(result.problems).toEqual([]);
      expect(keyed(result.signers)).toEqual(keyed(oracleSigners(path)));
    });
  }

  it('reports the v3 signer’s own certificate after a key rotation, and the old one for v1 and v2', async () => {
    const path = join(FIXTURES, 'rotated-v3.apk');
    const { signers } = await signersOf(readFileSync(path), 'rotated-v3.apk');
    const newest = apksigner(path).signers;
    const old = apksigner(path, ['--max-sdk-version', '27']).signers;
    expect(newest[0]?.certificateSha256).not.toBe(old[0]?.certificateSha256);
    expect(signers.filter((signer) => signer.scheme === 'v3').map((signer) => signer.certificateSha256)).toEqual([newest[0]?.certificateSha256]);
    expect(signers.filter((signer) => signer.scheme !== 'v3').map((signer) => signer.certificateSha256)).toEqual([old[0]?.certificateSha256, old[0]?.certificateSha256]);
  });

  it('lists signers in scheme order, then by certificate digest', async () => {
    const { signers } = await signersOf(readFileSync(join(FIXTURES, 'two-signers.apk')), 'two-signers.apk');
    const order: SignatureScheme[] = ['v1', 'v2', 'v3', 'v3.1'];
    const sorted = [...signers].sort((a, b) => order.indexOf(a.scheme) - order.indexOf(b.scheme) || (a.certificateSha256 < b.certificateSha256 ? -1 : 1));
    expect(signers.map((signer) => signer.scheme)).toEqual(['v1', 'v1', 'v2', 'v2']);
    expect(signers).toEqual(sorted);
  });

  it('reads a third-party APK (io.appium.settings, fetched with npm pack) like apksigner', async () => {
    const folder = join(temp, 'npm');
    mkdirSync(folder);
    try {
      execFileSync('npm', ['pack', 'io.appium.settings@8.0.10', '--pack-destination', folder, '--silent'], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      throw new Error('npm pack io.appium.settings failed: the npm registry must be reachable for this test', { cause: error });
    }
    const tarball = readdirSync(folder).find((name) => name.endsWith('.tgz'));
    if (tarball === undefined) throw new Error('npm pack wrote no tarball');
    run('tar', ['-xzf', join(folder, tarball), '-C', folder, 'package/apks/settings_apk-debug.apk']);
    const path = join(folder, 'package/apks/settings_apk-debug.apk');
    const result = await signersOf(readFileSync(path), basename(path));
    expect(result.problems).toEqual([]);
    expect(keyed(result.signers)).toEqual(keyed(oracleSigners(path)));
  });

  it('reads a v3.1 block (the v3 block of a fixture under the v3.1 ID: this apksigner cannot write v3.1)', async () => {
    const path = join(FIXTURES, 'rotated-v3.apk');
    const bytes = Buffer.from(readFileSync(path));
    bytes.writeUInt32LE(V31, pairOf(blockLayout(bytes), V3).offset + 8);
    const expected = oracleSigners(path).map((signer) => (signer.scheme === 'v3' ? { ...signer, scheme: 'v3.1' as const } : signer));
    const result = await signersOf(bytes, 'v31.apk');
    expect(result.problems).toEqual([]);
    expect(result.signers.map((signer) => signer.scheme)).toEqual(['v1', 'v2', 'v3.1']);
    expect(keyed(result.signers)).toEqual(keyed(expected));
  });
});

describe('readApkSigners on odd but valid zips', () => {
  let expected: string[];
  beforeAll(() => {
    expected = keyed(oracleSigners(join(FIXTURES, 'rsa-v1v2v3.apk')));
  });

  it('finds the End of Central Directory record behind a zip comment', async () => {
    const bytes = readFileSync(join(FIXTURES, 'rsa-v1v2v3.apk'));
    const comment = Buffer.from('a comment that contains PK\x05\x06 on purpose', 'latin1');
    const withComment = Buffer.concat([bytes, comment]);
    withComment.writeUInt16LE(comment.length, bytes.length - 2);
    const result = await signersOf(withComment, 'comment.apk');
    expect(result.problems).toEqual([]);
    expect(keyed(result.signers)).toEqual(expected);
  });

  it('follows a zip64 End of Central Directory record', async () => {
    const bytes = readFileSync(join(FIXTURES, 'rsa-v1v2v3.apk'));
    const { centralDirectoryOffset, endRecordOffset } = blockLayout(bytes);
    const entries = bytes.readUInt16LE(endRecordOffset + 10);
    const zip64Record = Buffer.alloc(56);
    zip64Record.writeUInt32LE(0x06064b50, 0);
    zip64Record.writeBigUInt64LE(44n, 4);
    zip64Record.writeUInt16LE(45, 12);
    zip64Record.writeUInt16LE(45, 14);
    zip64Record.writeBigUInt64LE(BigInt(entries), 24);
    zip64Record.writeBigUInt64LE(BigInt(entries), 32);
    zip64Record.writeBigUInt64LE(BigInt(endRecordOffset - centralDirectoryOffset), 40);
    zip64Record.writeBigUInt64LE(BigInt(centralDirectoryOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(endRecordOffset), 8);
    locator.writeUInt32LE(1, 16);
    const endRecord = Buffer.from(bytes.subarray(endRecordOffset));
    endRecord.writeUInt32LE(0xffffffff, 16);
    const zip64 = Buffer.concat([bytes.subarray(0, endRecordOffset), zip64Record, locator, endRecord]);
    const result = await signersOf(zip64, 'zip64.apk');
    expect(result.problems).toEqual([]);
    expect(keyed(result.signers)).toEqual(expected);
  });
});

describe('readApkSigners on corrupt input', () => {
  const original = (): Buffer => Buffer.from(readFileSync(join(FIXTURES, 'rsa-v1v2v3.apk')));
  let oracle: ApkSigner[];
  beforeAll(() => {
    oracle = oracleSigners(join(FIXTURES, 'rsa-v1v2v3.apk'));
  });
  const only = (...schemes: SignatureScheme[]): string[] => keyed(oracle.filter((signer) => schemes.includes(signer.scheme)));

  async function expectProblem(bytes: Buffer, format: string, offset: number, stillReported: SignatureScheme[]): Promise<ApkSigners> {
    const started = performance.now();
    const result = await signersOf(bytes, 'corrupt.apk');
    expect(performance.now() - started, 'no hang').toBeLessThan(2000);
    expect(keyed(result.signers)).toEqual(only(...stillReported));
    const messages = result.problems.map((problem) => problem.message);
    expect(messages.some((message) => message.startsWith(`/system/app/corrupt.apk: ${format} at offset ${offset}: `)), messages.join('\n')).toBe(true);
    expect(result.problems.every((problem) => problem.path === '/system/app/corrupt.apk')).toBe(true);
    return result;
  }

  it('reports an absurd block size and still reads v1', async () => {
    const bytes = original();
    const { centralDirectoryOffset } = blockLayout(bytes);
    bytes.writeBigUInt64LE(0xffffffffffffffffn, centralDirectoryOffset - 24);
    await expectProblem(bytes, 'apk › APK Signing Block', centralDirectoryOffset - 24, ['v1']);
  });

  it('reports block sizes that disagree', async () => {
    const bytes = original();
    const { blockOffset } = blockLayout(bytes);
    bytes.writeBigUInt64LE(bytes.readBigUInt64LE(blockOffset) + 8n, blockOffset);
    await expectProblem(bytes, 'apk › APK Signing Block', blockOffset, ['v1']);
  });

  it('reports a truncated block (sizes consistent, the pairs cut short)', async () => {
    const bytes = original();
    const layout = blockLayout(bytes);
    const v2 = pairOf(layout, V2);
    const cutAt = v2.offset + 8 + Math.floor(v2.length / 2);
    const newSize = BigInt(cutAt - layout.blockOffset - 8 + 24);
    const footer = Buffer.from(bytes.subarray(layout.centralDirectoryOffset - 24, layout.centralDirectoryOffset));
    footer.writeBigUInt64LE(newSize, 0);
    const head = Buffer.from(bytes.subarray(0, cutAt));
    head.writeBigUInt64LE(newSize, layout.blockOffset);
    const removed = layout.centralDirectoryOffset - 24 - cutAt;
    const tail = Buffer.from(bytes.subarray(layout.centralDirectoryOffset));
    tail.writeUInt32LE(layout.centralDirectoryOffset - removed, tail.length - 22 + 16);
    const truncated = Buffer.concat([head, footer, tail]);
    await expectProblem(truncated, 'apk › APK Signing Block', v2.offset, ['v1']);
  });

  it('reports an absurd pair length', async () => {
    const bytes = original();
    const v2 = pairOf(blockLayout(bytes), V2);
    bytes.writeBigUInt64LE(1n << 40n, v2.offset);
    await expectProblem(bytes, 'apk › APK Signing Block', v2.offset, ['v1']);
  });

  it('reports a v2 signer length past the end and still reads v1 and v3', async () => {
    const bytes = original();
    const fields = firstSignerFields(bytes, pairOf(blockLayout(bytes), V2));
    bytes.writeUInt32LE(0xfffffff0, fields.signerLength);
    await expectProblem(bytes, 'apk › APK Signing Block › v2', fields.signerLength, ['v1', 'v3']);
  });

  it('reports a v2 signed-data length past the end of its signer', async () => {
    const bytes = original();
    const fields = firstSignerFields(bytes, pairOf(blockLayout(bytes), V2));
    bytes.writeUInt32LE(bytes.readUInt32LE(fields.signerLength) + 1, fields.signedDataLength);
    await expectProblem(bytes, 'apk › APK Signing Block › v2 signer 1', fields.signedDataLength, ['v1', 'v3']);
  });

  it('reports a certificate length past the end of the certificate list', async () => {
    const bytes = original();
    const fields = firstSignerFields(bytes, pairOf(blockLayout(bytes), V2));
    bytes.writeUInt32LE(bytes.readUInt32LE(fields.certificateLength) + 1, fields.certificateLength);
    await expectProblem(bytes, 'apk › APK Signing Block › v2 signer 1', fields.certificateLength, ['v1', 'v3']);
  });

  it('reports a truncated certificate', async () => {
    const bytes = original();
    const fields = firstSignerFields(bytes, pairOf(blockLayout(bytes), V3));
    bytes.writeUInt32LE(100, fields.certificateLength);
    const result = await expectProblem(bytes, 'apk › APK Signing Block › v3 signer 1', fields.certificateLength + 4, ['v1', 'v2']);
    expect(result.problems.map((problem) => problem.message).join('\n')).toMatch(/element of \d+ bytes runs past the end/);
  });

  it('reports a signer with an empty certificate list', async () => {
    const bytes = original();
    const fields = firstSignerFields(bytes, pairOf(blockLayout(bytes), V2));
    // Claim an empty list: the certificate bytes that follow become the (ignored) rest of the signed data.
    bytes.writeUInt32LE(0, fields.certificatesLength);
    await expectProblem(bytes, 'apk › APK Signing Block › v2 signer 1', fields.certificatesLength + 4, ['v1', 'v3']);
  });

  it('reports a hostile list of a hundred thousand broken signers in a few lines', async () => {
    const signers = Buffer.alloc(100_000 * 4); // each signer: a u32 length of 0, so no signed data
    const list = Buffer.concat([Buffer.alloc(4), signers]);
    list.writeUInt32LE(signers.length, 0);
    const started = performance.now();
    const result = await signersOf(withSigningBlock(original(), [{ id: V2, value: list }]), 'many.apk');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(keyed(result.signers)).toEqual(only('v1'));
    const messages = result.problems.map((problem) => problem.message);
    expect(messages).toHaveLength(12);
    expect(messages[0]).toMatch(/^\/system\/app\/many\.apk: apk › APK Signing Block › v2 signer 1 at offset \d+: truncated length of signed data/);
    expect(messages[10]).toMatch(/more than 1000 signers; the rest are not read/);
    expect(messages[11]).toMatch(/990 more unreadable signers/);
  });

  it('never throws or hangs when bytes of the block are flipped anywhere', async () => {
    const pristine = original();
    const layout = blockLayout(pristine);
    let state = 12345;
    for (let round = 0; round < 300; round++) {
      const bytes = Buffer.from(pristine);
      for (let flips = 0; flips < 1 + (round % 4); flips++) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        const at = layout.blockOffset + (state % (layout.centralDirectoryOffset - layout.blockOffset));
        bytes[at] = (bytes[at] as number) ^ (1 << (state >>> 29));
      }
      const result = await signersOf(bytes, 'flipped.apk');
      // v1 lives outside the block and must survive. (A flip inside a certificate can leave a
      // different but well-formed certificate: nothing is verified, so it is reported as read.)
      expect(keyed(result.signers.filter((signer) => signer.scheme === 'v1'))).toEqual(only('v1'));
      for (const problem of result.problems) expect(problem.message).toMatch(/^\/system\/app\/flipped\.apk: apk › APK Signing Block.* at offset \d+: /);
    }
  });
});

describe('readApkSigners on v1 signature block files', () => {
  /** The fixture's members, with META-INF/A.RSA... replaced, zipped again by Info-ZIP (no APK Signing Block then). */
  function rezipped(replace: (blockFile: Buffer) => Buffer): { bytes: Buffer; blockName: string } {
    const apk = join(FIXTURES, 'v1-only.apk');
    const folder = mkdtempSync(join(temp, 'v1-'));
    const names = unzipNames(apk);
    const blockName = names.find((name) => /^META-INF\/[^/]+\.RSA$/.test(name));
    if (blockName === undefined) throw new Error('no .RSA in the v1 fixture');
    for (const name of names) {
      mkdirSync(join(folder, name, '..'), { recursive: true });
      const content = unzipMember(apk, name);
      writeFileSync(join(folder, name), name === blockName ? replace(content) : content);
    }
    run('zip', ['-q', '-X', '-r', join(folder, 'out.zip'), ...names], folder);
    return { bytes: readFileSync(join(folder, 'out.zip')), blockName };
  }

  it('reads the signer of an intact block file (control)', async () => {
    const { bytes } = rezipped((content) => content);
    const result = await signersOf(bytes, 'v1.apk');
    expect(result.problems).toEqual([]);
    expect(keyed(result.signers)).toEqual(keyed(oracleSigners(join(FIXTURES, 'v1-only.apk'))));
  });

  it('reports a truncated PKCS#7 block naming the member and the offset', async () => {
    const { bytes, blockName } = rezipped((content) => content.subarray(0, 700));
    const result = await signersOf(bytes, 'v1.apk');
    expect(result.signers).toEqual([]);
    const messages = result.problems.map((problem) => problem.message).join('\n');
    expect(messages).toMatch(new RegExp(`^/system/app/v1\\.apk: apk › ${blockName.replace('.', '\\.')} at offset \\d+: `, 'm'));
    expect(messages).toMatch(/no signer could be read/);
  });

  it('refuses a nesting bomb of indefinite lengths quickly', async () => {
    const { bytes } = rezipped(() => Buffer.alloc(200_000, Buffer.from([0x30, 0x80])));
    const started = performance.now();
    const result = await signersOf(bytes, 'v1.apk');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.signers).toEqual([]);
    expect(result.problems.map((problem) => problem.message).join('\n')).toMatch(/nesting deeper than/);
  });

  it('reports an absurd DER length', async () => {
    const { bytes } = rezipped((content) => Buffer.concat([Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]), content.subarray(4)]));
    const result = await signersOf(bytes, 'v1.apk');
    expect(result.signers).toEqual([]);
    expect(result.problems.map((problem) => problem.message).join('\n')).toMatch(/at offset 0: element of 2147483647 bytes runs past the end/);
  });
});

describe('readApkSigners on a zip that is not an APK', () => {
  it('reports no signers and a problem saying none were found', async () => {
    const folder = mkdtempSync(join(temp, 'plain-'));
    writeFileSync(join(folder, 'readme.txt'), 'not an app\n');
    run('zip', ['-q', '-X', join(folder, 'plain.zip'), 'readme.txt'], folder);
    const result = await signersOf(readFileSync(join(folder, 'plain.zip')), 'plain.zip');
    expect(result.signers).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.message).toMatch(/^\/system\/app\/plain\.zip: apk: no signature found: /);
  });
});

describe('build-signed-apks.mjs', () => {
  it('rebuilds the same fixtures: same members, same contents but signatures, same signers', () => {
    const out = join(temp, 'rebuilt');
    run('node', [join(REPO_ROOT, 'scripts/fixtures/build-signed-apks.mjs'), out]);
    expect(readdirSync(out).sort()).toEqual([...FIXTURE_APKS].sort());
    for (const name of FIXTURE_APKS) {
      const committed = join(FIXTURES, name);
      const rebuilt = join(out, name);
      const names = unzipNames(committed);
      expect(unzipNames(rebuilt), name).toEqual(names);
      // ECDSA signatures are randomised; every other member is the same byte for byte.
      for (const member of names.filter((member) => !member.endsWith('.EC'))) {
        expect(sha256(unzipMember(rebuilt, member)), `${name} › ${member}`).toBe(sha256(unzipMember(committed, member)));
      }
      const [before, after] = [apksigner(committed), apksigner(rebuilt)];
      expect([...after.schemes], name).toEqual([...before.schemes]);
      expect(after.signers, name).toEqual(before.signers);
    }
  }, 120_000);
});
