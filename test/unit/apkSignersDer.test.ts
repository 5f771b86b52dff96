/**
 * The pieces under the APK signer reader: subjects formatted the way Java (apksigner, keytool)
 * prints them, PKCS#7 written by OpenSSL in BER with indefinite lengths, and the DER reader's
 * limits. Oracles: `keytool -printcert` (the same X500Name text apksigner prints, checked below on
 * a fixture), `openssl cms` / `openssl x509`.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCertificate } from '../../electron/engine/android/signing/certificate.js';
import { DerReader } from '../../electron/engine/android/signing/der.js';
import { readPkcs7SignerCertificates } from '../../electron/engine/android/signing/pkcs7.js';
import { InputError } from '../../electron/engine/errors.js';
import { REPO_ROOT, run, sha256, javaTool } from '../support/oracles.js';

const temp = mkdtempSync(join(tmpdir(), 'otalens-der-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const location = { file: 'test.apk', format: 'test', baseOffset: 0 };

/** Java tools print through the platform charset: ask for UTF-8 so non-ASCII subjects survive a C locale. */
// ---------------------------------------------------------------- a tiny DER writer for test input

function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length;
  const header = length < 0x80 ? [length] : length < 0x100 ? [0x81, length] : [0x82, length >> 8, length & 0xff];
  return Buffer.concat([Buffer.from([tag, ...header]), content]);
}
const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));

function objectIdentifier(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const groups = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) groups.unshift((value & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

const attribute = (oid: string, value: Buffer): Buffer => sequence(objectIdentifier(oid), value);
const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
const printable = (text: string): Buffer => tlv(0x13, Buffer.from(text, 'latin1'));
/** A Name of single-attribute RDNs, given most general first (as encoded). */
const name = (...attributes: Buffer[]): Buffer => sequence(...attributes.map((value) => set(value)));

const CN = '2.5.4.3';
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ecdsaWithSha256 = sequence(objectIdentifier('1.2.840.10045.4.3.2'));

/** A real, signed certificate with this subject. */
function certificate(subject: Buffer, serial: number): Buffer {
  const issuer = name(attribute(CN, printable('Test Issuer')));
  const validity = sequence(tlv(0x17, Buffer.from('250101000000Z')), tlv(0x17, Buffer.from('350101000000Z')));
  const version = tlv(0xa0, tlv(0x02, Buffer.from([2])));
  const tbs = sequence(version, tlv(0x02, Buffer.from([serial])), ecdsaWithSha256, issuer, validity, subject, publicKey.export({ type: 'spki', format: 'der' }));
  const signature = sign('sha256', tbs, privateKey);
  return sequence(tbs, ecdsaWithSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
}

function pem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
}

/** `Owner:` of each certificate, as keytool prints them (values may span lines). */
function keytoolOwners(certificates: Buffer[]): string[] {
  const file = join(temp, `certs-${certificates.length}-${Date.now()}.pem`);
  writeFileSync(file, certificates.map(pem).join(''));
  const output = javaTool('keytool', ['-printcert', '-file', file]);
  return [...output.matchAll(/^Owner: (.*?)\nIssuer: /gms)].map((match) => match[1] ?? '');
}

// ---------------------------------------------------------------- tests

describe('certificate subjects, formatted as keytool and apksigner print them', () => {
  const subjects: [string, Buffer][] = [
    [
      'every keyword Java knows, and unknown types',
      name(
        ...[
          '2.5.4.6', '2.5.4.8', '2.5.4.7', '2.5.4.9', '2.5.4.10', '2.5.4.11', '2.5.4.12', '2.5.4.3', '2.5.4.4', '2.5.4.42', '2.5.4.43',
          '2.5.4.44', '2.5.4.46', '2.5.4.5', '0.9.2342.19200300.100.1.1', '0.9.2342.19200300.100.1.25', '1.2.840.113549.1.9.1',
          '1.3.6.1.4.1.42.2.11.2.1', '2.5.4.17', '2.5.4.65', '1.2.3.4', '2.999.1234567',
        ].map((oid, index) => attribute(oid, printable(`v${index}`))),
      ),
    ],
    ['a multi-valued RDN', sequence(set(attribute(CN, printable('A')), attribute('2.5.4.11', printable('B')), attribute('2.5.4.10', printable('C'))), set(attribute('2.5.4.6', printable('US'))))],
    ['an empty name', sequence()],
    ['PrintableString', name(attribute(CN, printable('Plain Text')))],
    ['T61String (Latin-1)', name(attribute(CN, tlv(0x14, Buffer.from([0x41, 0xe9, 0x42]))))],
    ['IA5String', name(attribute('1.2.840.113549.1.9.1', tlv(0x16, Buffer.from('mail@example.org'))))],
    ['IA5String with a byte above 0x7f', name(attribute(CN, tlv(0x16, Buffer.from([0x61, 0x80, 0x62]))))],
    ['BMPString', name(attribute(CN, tlv(0x1e, Buffer.from('Ωmega 名', 'utf16le').swap16())))],
    ['UniversalString', name(attribute(CN, tlv(0x1c, Buffer.from([0, 0, 0, 0x5a, 0, 1, 0xf6, 0x00]))))],
    ['GeneralString', name(attribute(CN, tlv(0x1b, Buffer.from('general'))))],
    ['VisibleString (not a string to Java)', name(attribute(CN, tlv(0x1a, Buffer.from('visible'))))],
    ['NumericString (not a string to Java)', name(attribute(CN, tlv(0x12, Buffer.from('123'))))],
    ['an INTEGER value', name(attribute('1.2.3.4', tlv(0x02, Buffer.from([0x05]))))],
    ['a constructed value', name(attribute('1.2.3.4', sequence(utf8('inner'))))],
    ...[
      'two  spaces', ' leading space', 'trailing space ', 'say "hi"', 'back\\slash', '"already quoted"', '"', 'a;b', 'x<y>z', '#hash', 'k=v',
      'a+b', 'a,b', 'tab\there', 'new\nline', 'nbsp\u00a0\u00a0twice', 'Ünïcode 名前 😀', '', "it's (fine) ok?", ' ', '"half',
    ].map((value): [string, Buffer] => [`the value ${JSON.stringify(value)}`, name(attribute(CN, utf8(value)))]),
  ];

  it('match keytool -printcert for every kind of name and value', () => {
    const certificates = subjects.map(([, subject], index) => certificate(subject, index + 1));
    const owners = keytoolOwners(certificates);
    const ours = certificates.map((der) => {
      try {
        return readCertificate(der, location).subject;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    });
    // Labelled lines, so a difference says which case it is.
    const label = (list: (string | undefined)[]): string[] => list.map((subject, index) => `${subjects[index]?.[0]}: ${subject}`);
    expect(label(ours)).toEqual(label(owners));
    expect(owners).toHaveLength(subjects.length);
  });

  it('keytool prints subjects exactly as apksigner does (ties the two oracles)', () => {
    const apk = join(REPO_ROOT, 'test/fixtures/signing/rsa-v1v2v3.apk');
    const dn = /^Signer #1 certificate DN: (.*)$/m.exec(javaTool('apksigner', ['verify', '--print-certs', apk]))?.[1];
    const keystore = join(REPO_ROOT, 'test/fixtures/signing/keys/vendor-rsa.p12');
    const exported = join(temp, 'vendor.pem');
    run('keytool', ['-exportcert', '-rfc', '-keystore', keystore, '-storepass', 'android', '-alias', 'vendor', '-file', exported]);
    const owner = /^Owner: (.*)$/m.exec(javaTool('keytool', ['-printcert', '-file', exported]))?.[1];
    expect(dn).toContain('O="Example, Inc."');
    expect(owner).toBe(dn);
  });
});

describe('PKCS#7 signer certificates', () => {
  const keystore = join(REPO_ROOT, 'test/fixtures/signing/keys/vendor-rsa.p12');

  function opensslSignedData(streamed: boolean): { signature: Buffer; certificateDer: Buffer } {
    const keyAndCert = join(temp, 'vendor-key.pem');
    run('openssl', ['pkcs12', '-in', keystore, '-passin', 'pass:android', '-nodes', '-out', keyAndCert]);
    writeFileSync(join(temp, 'data'), 'signed content\n');
    const out = join(temp, streamed ? 'sig.ber' : 'sig.der');
    run('openssl', ['cms', '-sign', '-binary', ...(streamed ? ['-stream'] : []), '-in', join(temp, 'data'), '-signer', keyAndCert, '-inkey', keyAndCert, '-outform', 'DER', '-out', out]);
    const certificateDer = join(temp, 'vendor.der');
    run('openssl', ['x509', '-in', keyAndCert, '-outform', 'DER', '-out', certificateDer]);
    return { signature: readFileSync(out), certificateDer: readFileSync(certificateDer) };
  }

  for (const streamed of [false, true]) {
    it(`reads the signer of an openssl cms ${streamed ? 'BER (indefinite lengths, -stream)' : 'DER'} signature`, () => {
      const { signature, certificateDer } = opensslSignedData(streamed);
      if (streamed) expect(signature.subarray(0, 2)).toEqual(Buffer.from([0x30, 0x80]));
      const owner = /^Owner: (.*)$/m.exec(javaTool('keytool', ['-printcert', '-file', join(temp, 'vendor.der')]))?.[1];
      const problems: InputError[] = [];
      const signers = readPkcs7SignerCertificates(signature, location, (error) => problems.push(error));
      expect(problems).toEqual([]);
      expect(signers.map((signer) => [signer.sha256, signer.subject])).toEqual([[sha256(certificateDer), owner]]);
    });
  }
});

describe('the DER reader', () => {
  const failure = (bytes: number[] | Buffer): InputError => {
    try {
      new DerReader(Buffer.from(bytes), { file: 'x.apk', format: 'apk › META-INF/CERT.RSA', baseOffset: 100 }).elementAt(0);
    } catch (error) {
      if (error instanceof InputError) return error;
      throw error;
    }
    throw new Error('no error');
  };

  it('reads high tag numbers and long lengths', () => {
    const bytes = Buffer.concat([Buffer.from([0xbf, 0x81, 0x00, 0x82, 0x01, 0x00]), Buffer.alloc(256)]);
    const element = new DerReader(bytes, location).elementAt(0);
    expect(element).toMatchObject({ tagClass: 2, constructed: true, tagNumber: 128, contentStart: 6, contentEnd: 262 });
  });

  it('refuses a length past the end, naming the file, the layer and the offset', () => {
    const error = failure([0x30, 0x05, 0x02, 0x01]);
    expect(error.message).toBe('x.apk: apk › META-INF/CERT.RSA at offset 100: element of 5 bytes runs past the end of its parent (expected at most 2 bytes)');
  });

  it('refuses length fields longer than four bytes, indefinite primitives and a missing end-of-contents', () => {
    expect(failure([0x30, 0x85, 1, 0, 0, 0, 0]).problem).toBe('length field of 5 bytes');
    expect(failure([0x04, 0x80, 0, 0]).problem).toBe('indefinite length on a primitive element');
    expect(failure([0x30, 0x80, 0x02, 0x01, 0x00]).problem).toBe('indefinite-length element has no end-of-contents octets');
    expect(failure([0x30]).problem).toBe('truncated length');
  });

  it('caps nesting depth', () => {
    expect(failure(Buffer.alloc(1000, Buffer.from([0x30, 0x80]))).problem).toMatch(/^nesting deeper than \d+ levels$/);
  });
});
