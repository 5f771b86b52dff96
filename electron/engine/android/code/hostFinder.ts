/**
 * Servers named in an app's strings: the hosts of URLs (`https://api.example.cn/v1`), strings that
 * are a host name and nothing else (`data.mistat.xiaomi.com`), and IPv4 addresses. Hosts are
 * normalised (lower case, no port, no trailing dot); those shared/nonEndpoints.ts describes (XML
 * namespaces, documentation links, example and local addresses) are kept apart with the reason.
 *
 * A bare string is taken for a host name only when it cannot easily be something else: lower-case
 * DNS labels, a top-level name from a short list (a two-label name only with a generic one, so
 * `user.email`, `libfoo.so` or `ro.build.id` are not hosts), and a first label that is not the
 * start of a Java package or a system property (`com.`, `org.`, `ro.`, `persist.`…). A bare IPv4
 * address is taken only when it cannot be a version number (see addressNotVersion).
 */
import type { HostFound, NonEndpointFound } from '../../../../shared/app.js';
import { NON_ENDPOINT_RULES, type NonEndpointRule } from '../../../../shared/nonEndpoints.js';
import { compareStrings } from '../../../../shared/sort.js';
import type { StringFilter } from '../dex/dexFile.js';

const SAMPLE_LIMIT = 200;
/** Network schemes: a URL with one of these names a server. */
const URL_PATTERN = /\b(https?|wss?|ftps?|rtmps?|rtsp|mqtts?|tcp|udp|ssl|tls):\/\/([^\s/?#"'<>\\^`{|}]+)/gi;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const BARE_HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;
/** Top-level names a two-label bare string may end in. */
const GENERIC_TLDS = new Set(['com', 'net', 'org', 'cn', 'io', 'co', 'tv', 'xyz', 'top', 'cloud', 'info', 'biz', 'mobi', 'asia']);
/** Country names a bare string of three or more labels may end in (not `id`, `in`, `so`, `rs`, `pl`…, which end property names and file names). */
const COUNTRY_TLDS = new Set([
  'jp', 'kr', 'ru', 'de', 'uk', 'fr', 'br', 'es', 'nl', 'eu', 'us', 'ca', 'au', 'hk', 'tw', 'sg', 'vn', 'th', 'my', 'ph', 'tr', 'se', 'no', 'fi',
  'dk', 'ch', 'at', 'be', 'cz', 'pt', 'gr', 'ie', 'il', 'nz', 'za', 'mx', 'ar', 'cl', 'pk', 'bd', 'ir', 'ua', 'kz', 'ae', 'sa', 'eg', 'ng', 'ke',
  'hu', 'ro', 'sk', 'bg', 'hr', 'si', 'lt', 'lv', 'ee', 'lu', 'by', 'it',
]);
/** First labels of Java packages, Android components and system properties, never of a host. */
const NOT_HOST_STARTS = new Set(['com', 'org', 'net', 'io', 'cn', 'android', 'androidx', 'java', 'javax', 'kotlin', 'kotlinx', 'dalvik', 'ro', 'persist', 'sys', 'debug', 'ctl', 'init', 'vendor', 'odm', 'log', 'service', 'sun', 'junit', 'libcore']);

/** A host of a URL or a bare string, or null when it is no usable host name or address. */
export function normaliseHost(raw: string, fromUrl: boolean): string | null {
  let host = raw.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) return validIpv6(host.slice(1, -1));
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host.startsWith('*.')) host = host.slice(2);
  if (IPV4.test(host)) return host;
  if (host.length > 253) return null;
  const labels = host.split('.');
  if (labels.length === 1) return fromUrl && host === 'localhost' ? host : null;
  if (!labels.every((label) => LABEL.test(label))) return null;
  const top = labels.at(-1) as string;
  return /^[a-z]{2,63}$/.test(top) || top.startsWith('xn--') ? host : null;
}

function validIpv6(address: string): string | null {
  return /^[0-9a-f:.]+$/.test(address) && address.includes(':') ? address : null;
}

/**
 * A bare string of four numbers is an address only when it does not read as a version number
 * (`7.1.22.1`, an app's versionName): some part is 100 or more (`114.114.114.114`), or all four
 * are the same (`8.8.8.8`, `1.1.1.1`, public resolvers).
 */
function addressNotVersion(text: string): boolean {
  const parts = text.split('.').map(Number);
  return parts.some((part) => part >= 100) || parts.every((part) => part === parts[0]);
}

/** The host a whole string names when it is nothing but a host name or an IPv4 address. */
export function bareHost(text: string): string | null {
  if (text.length < 4 || text.length > 253) return null;
  if (IPV4.test(text)) return addressNotVersion(text) ? text : null;
  if (!BARE_HOST.test(text)) return null;
  const labels = text.split('.');
  const top = labels.at(-1) as string;
  if (NOT_HOST_STARTS.has(labels[0] as string)) return null;
  const knownTop = labels.length === 2 ? GENERIC_TLDS.has(top) : GENERIC_TLDS.has(top) || COUNTRY_TLDS.has(top);
  return knownTop ? normaliseHost(text, false) : null;
}

/** Every host a string names: URL hosts anywhere in it, else the string itself when it is a host. */
export function hostsIn(text: string): string[] {
  const hosts: string[] = [];
  if (text.includes('://')) {
    for (const match of text.matchAll(URL_PATTERN)) {
      const authority = match[2] as string;
      const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
      const raw = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.split(':')[0] ?? '';
      const host = normaliseHost(raw, true);
      if (host !== null) hosts.push(host);
    }
    return hosts;
  }
  const host = text.includes('.') ? bareHost(text) : null;
  return host === null ? hosts : [host];
}

/**
 * Whether a string may name a host, decided cheaply, before the patterns run: a URL, or a string
 * with a dot and no slash, space or capital letter (a bare host name is lower case; class names
 * and messages are not hosts).
 */
export function mayNameHost(text: string): boolean {
  return text.length >= 4 && text.includes('.') && !text.includes('/') ? !/[ A-Z]/.test(text) : text.includes('://');
}

const DOT_SEEN = 1;
const SLASH_SEEN = 2;
const COLON_SEEN = 4;
const SPACE_OR_CAPITAL_SEEN = 8;
/** What each byte tells mayNameHostClasses: one table load and one OR a byte, no branches. */
const BYTE_CLASSES = new Uint8Array(256);
BYTE_CLASSES['.'.charCodeAt(0)] = DOT_SEEN;
BYTE_CLASSES['/'.charCodeAt(0)] = SLASH_SEEN;
BYTE_CLASSES[':'.charCodeAt(0)] = COLON_SEEN;
BYTE_CLASSES[' '.charCodeAt(0)] = SPACE_OR_CAPITAL_SEEN;
for (let byte = 'A'.charCodeAt(0); byte <= 'Z'.charCodeAt(0); byte++) BYTE_CLASSES[byte] = SPACE_OR_CAPITAL_SEEN;
const URL_MARK = Buffer.from('://', 'latin1');

/**
 * `mayNameHost` on the UTF-8 or MUTF-8 bytes `bytes[start, end)` of a string whose bytes' classes
 * (BYTE_CLASSES) OR to `seen`, without decoding it (ASCII bytes never occur inside a multi-byte
 * character in either encoding). Searches for `://` only in the few strings holding both a slash
 * and a colon.
 */
function mayNameHostClasses(seen: number, bytes: Buffer, start: number, end: number): boolean {
  if (end - start < URL_MARK.length) return false;
  if ((seen & (DOT_SEEN | SLASH_SEEN)) === DOT_SEEN) return end - start >= 4 && (seen & SPACE_OR_CAPITAL_SEEN) === 0;
  if ((seen & (SLASH_SEEN | COLON_SEEN)) !== (SLASH_SEEN | COLON_SEEN)) return false;
  return bytes.subarray(start, end).includes(URL_MARK);
}

/** The strings of a DEX that may name a host: every string of every DEX is judged here, as its terminator is found. */
export const HOST_STRINGS: StringFilter = { byteClasses: BYTE_CLASSES, wants: mayNameHostClasses };

interface NonEndpointIndex {
  /** Domain → reason: the host or one of its parent domains. */
  domains: Map<string, string>;
  topLevel: Map<string, string>;
  ipv6: Map<string, string>;
  ipv4: { start: number; end: number; reason: string }[];
}

function indexRules(rules: readonly NonEndpointRule[]): NonEndpointIndex {
  const index: NonEndpointIndex = { domains: new Map(), topLevel: new Map(), ipv6: new Map(), ipv4: [] };
  // The first rule naming something wins, as in the rules' order.
  const put = (map: Map<string, string>, key: string, reason: string): void => {
    if (!map.has(key)) map.set(key, reason);
  };
  for (const rule of rules) {
    for (const domain of rule.domains ?? []) put(index.domains, domain, rule.reason);
    for (const name of rule.topLevel ?? []) put(index.topLevel, name, rule.reason);
    for (const address of rule.addresses ?? []) {
      if (address.includes(':')) put(index.ipv6, address, rule.reason);
      else {
        const [base = '', bits = '32'] = address.split('/');
        const start = ipv4Number(base);
        index.ipv4.push({ start, end: start + 2 ** (32 - Number(bits)), reason: rule.reason });
      }
    }
  }
  return index;
}

const DEFAULT_RULES = indexRules(NON_ENDPOINT_RULES);

/** The rule a host falls under, when it is no server. */
export function nonEndpointReason(host: string, rules?: readonly NonEndpointRule[]): string | null {
  const index = rules === undefined ? DEFAULT_RULES : indexRules(rules);
  if (IPV4.test(host)) {
    const address = ipv4Number(host);
    return index.ipv4.find((range) => address >= range.start && address < range.end)?.reason ?? null;
  }
  if (host.includes(':')) return index.ipv6.get(host) ?? null;
  // The host itself, then each parent domain.
  for (let at = 0; at >= 0; at = host.indexOf('.', at) < 0 ? -1 : host.indexOf('.', at) + 1) {
    const reason = index.domains.get(host.slice(at));
    if (reason !== undefined) return reason;
  }
  return index.topLevel.get(host.slice(host.lastIndexOf('.') + 1)) ?? null;
}

function ipv4Number(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

interface Sighting {
  /** The first string seen naming the host in each place. */
  samples: Map<string, string>;
}

/** Collects the hosts of an app's strings, by the place (DEX file, resources.arsc, XML member) they are in. */
export class HostCollector {
  private readonly hosts = new Map<string, Sighting>();

  /** Every host `text` names, seen in `place`. */
  add(text: string, place: string): void {
    if (!mayNameHost(text)) return;
    for (const host of hostsIn(text)) this.record(host, text, place);
  }

  /** A host name the app declares as such (a network security config `<domain>`), with the text it came from. */
  addDeclared(domain: string, place: string): void {
    const host = normaliseHost(domain.trim(), true);
    if (host !== null) this.record(host, domain.trim(), place);
  }

  /** What another collection found (HostFound lists), so two readings of one app merge. */
  addFound(found: readonly HostFound[]): void {
    for (const item of found) {
      this.record(item.host, item.sample, item.foundIn);
      for (const place of item.alsoIn ?? []) this.record(item.host, item.sample, place);
    }
  }

  private record(host: string, text: string, place: string): void {
    let sighting = this.hosts.get(host);
    if (sighting === undefined) {
      sighting = { samples: new Map() };
      this.hosts.set(host, sighting);
    }
    if (!sighting.samples.has(place)) sighting.samples.set(place, text.length > SAMPLE_LIMIT ? `${text.slice(0, SAMPLE_LIMIT - 1)}…` : text);
  }

  /** Servers and non-endpoints, each sorted by host. */
  result(): { hosts: HostFound[]; nonEndpoints: NonEndpointFound[] } {
    const hosts: HostFound[] = [];
    const nonEndpoints: NonEndpointFound[] = [];
    for (const host of [...this.hosts.keys()].sort(compareStrings)) {
      const samples = (this.hosts.get(host) as Sighting).samples;
      const [first = '', ...others] = [...samples.keys()].sort(compareStrings);
      const found: HostFound = { host, sample: samples.get(first) ?? '', foundIn: first };
      if (others.length > 0) found.alsoIn = others;
      const reason = nonEndpointReason(host);
      if (reason === null) hosts.push(found);
      else nonEndpoints.push({ ...found, reason });
    }
    return { hosts, nonEndpoints };
  }
}
