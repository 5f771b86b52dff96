/**
 * The pieces under the APK signature verifier: subjects formatted the way Java (apksigner,
 * keytool) prints them, names compared the way Android compares them (Java's X500Principal
 * CANONICAL form), and PKCS#7 written by OpenSSL (DER and BER with indefinite lengths) verified.
 * Oracles: `keytool -printcert` (the same X500Name text apksigner prints, checked below on a
 * fixture), Java's X500Principal run in the test, `openssl cms -sign` / `-verify`.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCertificate } from '../../electron/engine/android/signing/certificate.js';
import { parseAsn1 } from '../../electron/engine/android/signing/asn1.js';
import { canonicalName } from '../../electron/engine/android/signing/names.js';
import { verifySignatureBlock } from '../../electron/engine/android/signing/pkcs7.js';
import { InputError } from '../../electron/engine/errors.js';
import { REPO_ROOT, run, sha256, javaTool } from '../support/oracles.js';

const temp = mkdtempSync(join(tmpdir(), 'otalens-der-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const location = { file: 'test.apk', format: 'test' };

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

describe('names compared as Android compares them (X500Principal CANONICAL, run in Java)', () => {
  const names: [string, Buffer][] = [
    ['PrintableString', name(attribute(CN, printable('Example Vendor')), attribute('2.5.4.10', printable('Example')))],
    ['the same in UTF8String', name(attribute(CN, utf8('Example Vendor')), attribute('2.5.4.10', utf8('Example')))],
    ['case and runs of spaces', name(attribute(CN, utf8('  EXAMPLE   vendor ')), attribute('2.5.4.10', printable('example')))],
    ['IA5String (hex in canonical form)', name(attribute(CN, tlv(0x16, Buffer.from('Example Vendor'))), attribute('2.5.4.10', printable('Example')))],
    ['an e-mail address (an OID keyword)', name(attribute('1.2.840.113549.1.9.1', tlv(0x16, Buffer.from('Keys@Example.org'))), attribute(CN, utf8('A')))],
    ['a multi-valued RDN', sequence(set(attribute('2.5.4.11', printable('B')), attribute(CN, printable('A'))), set(attribute('2.5.4.6', printable('US'))))],
    ['the same RDN in the other order', sequence(set(attribute(CN, utf8('a')), attribute('2.5.4.11', utf8('b'))), set(attribute('2.5.4.6', printable('us'))))],
    ['special characters', name(attribute(CN, utf8('a,b+c<d>;"e\\ #f')))],
    ['non-ASCII with compatibility forms', name(attribute(CN, utf8('Ünïcode ﬁ Ⅻ')))],
    ['an unknown attribute type', name(attribute('1.2.3.4', utf8('x')), attribute(CN, utf8('y')))],
    ['T61String', name(attribute(CN, tlv(0x14, Buffer.from('Example Vendor'))))],
    ['an empty name', sequence()],
  ];

  it('gives Java’s canonical text for every name, so equal names are equal exactly when Java says so', () => {
    const source = join(temp, 'Canonical.java');
    writeFileSync(
      source,
      `import javax.security.auth.x500.X500Principal;
import java.util.HexFormat;
public class Canonical {
  public static void main(String[] args) {
    for (String hex : args) System.out.println(new X500Principal(HexFormat.of().parseHex(hex)).getName(X500Principal.CANONICAL));
  }
}
`,
    );
    const java = javaTool('java', [source, ...names.map(([, der]) => der.toString('hex'))]).split('\n').slice(0, names.length);
    const ours = names.map(([, der]) => canonicalName(parseAsn1(der, location, 'name'), location));
    const label = (list: string[]): string[] => list.map((text, index) => `${names[index]?.[0]}: ${text}`);
    expect(label(ours)).toEqual(label(java));
    // The point of it: PrintableString and UTF8String spellings, case and spacing do not matter; IA5String does.
    expect(ours[0]).toBe(ours[1]);
    expect(ours[0]).toBe(ours[2]);
    expect(ours[0]).not.toBe(ours[3]);
    expect(ours[5]).toBe(ours[6]);
  });
});

describe('PKCS#7 signatures written by OpenSSL', () => {
  const keystore = join(REPO_ROOT, 'test/fixtures/signing/keys/vendor-rsa.p12');
  const data = Buffer.from('Signature-Version: 1.0\r\nCreated-By: a test\r\n\r\n');

  function opensslSignedData(streamed: boolean, attributes: boolean): { signature: Buffer; certificateDer: Buffer } {
    const keyAndCert = join(temp, 'vendor-key.pem');
    run('openssl', ['pkcs12', '-in', keystore, '-passin', 'pass:android', '-nodes', '-out', keyAndCert]);
    writeFileSync(join(temp, 'data'), data);
    const out = join(temp, `sig-${streamed}-${attributes}.p7`);
    run('openssl', ['cms', '-sign', '-binary', ...(streamed ? ['-stream'] : []), ...(attributes ? [] : ['-noattr']), '-in', join(temp, 'data'), '-signer', keyAndCert, '-inkey', keyAndCert, '-outform', 'DER', '-out', out]);
    // The oracle: OpenSSL verifies its own detached signature over the data.
    run('openssl', ['cms', '-verify', '-binary', '-noverify', '-inform', 'DER', '-in', out, '-content', join(temp, 'data'), '-out', join(temp, 'verified')]);
    const certificateDer = join(temp, 'vendor.der');
    run('openssl', ['x509', '-in', keyAndCert, '-outform', 'DER', '-out', certificateDer]);
    return { signature: readFileSync(out), certificateDer: readFileSync(certificateDer) };
  }

  for (const [streamed, attributes] of [[false, true], [true, true], [false, false]] as const) {
    it(`verifies an openssl cms ${streamed ? 'BER (indefinite lengths, -stream)' : 'DER'} signature ${attributes ? 'with signed attributes' : 'without signed attributes'}, and not over other data`, () => {
      const { signature, certificateDer } = opensslSignedData(streamed, attributes);
      if (streamed) expect(signature.subarray(0, 2)).toEqual(Buffer.from([0x30, 0x80]));
      const owner = /^Owner: (.*)$/m.exec(javaTool('keytool', ['-printcert', '-file', join(temp, 'vendor.der')]))?.[1];
      const problems: InputError[] = [];
      const outcome = verifySignatureBlock(signature, data, location, 24, (error) => problems.push(error));
      expect(problems).toEqual([]);
      expect(outcome.failure).toBeNull();
      expect([outcome.certificate?.sha256, outcome.certificate?.subject]).toEqual([sha256(certificateDer), owner]);
      const tampered = verifySignatureBlock(signature, Buffer.concat([data, Buffer.from('x')]), location, 24, () => {});
      expect(tampered.failure).toMatch(attributes ? /digest differs from the one its signature covers/ : /signature over the \.SF file does not verify/);
    });
  }
});
