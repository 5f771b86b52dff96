/**
 * Hosts that an app's strings name but that are no server it talks to: XML namespaces and schema
 * URIs, documentation and licence links, reserved example names, this device and local networks.
 * They are listed apart from the servers (AppCode.nonEndpoints), with the reason. Data, not code:
 * electron/engine/android/code/hostFinder.ts applies it.
 */

export interface NonEndpointRule {
  /** Why such a host is kept apart, as the report says it. */
  reason: string;
  /** Host names that match exactly or as a parent domain (`example.com` also matches `www.example.com`). */
  domains?: string[];
  /** Top-level names that match (`test` matches `a.test`). */
  topLevel?: string[];
  /** IPv4 prefixes in CIDR notation (`127.0.0.0/8`), or IPv6 addresses. */
  addresses?: string[];
  source: string;
}

export const NON_ENDPOINT_RULES: readonly NonEndpointRule[] = [
  {
    reason: 'XML namespace or schema URI',
    domains: [
      'schemas.android.com', 'www.w3.org', 'w3.org', 'xml.org', 'xmlpull.org', 'www.xmlpull.org', 'ns.adobe.com', 'purl.org',
      'schemas.xmlsoap.org', 'schemas.microsoft.com', 'schemas.openxmlformats.org', 'java.sun.com', 'xmlns.jcp.org', 'schema.org', 'www.topografix.com',
    ],
    source: 'The namespace and schema URIs of Android (schemas.android.com/apk/res/android), the W3C, SAX (xml.org/sax), XmlPull, Adobe XMP, Dublin Core (purl.org), SOAP and Office Open XML: names, never fetched',
  },
  {
    reason: 'reserved example name',
    domains: ['example.com', 'example.net', 'example.org'],
    topLevel: ['example', 'test', 'invalid', 'localhost'],
    source: 'RFC 2606 and RFC 6761: example.com/.net/.org and the .example, .test, .invalid and .localhost names are reserved for documentation and testing',
  },
  {
    reason: 'documentation or licence link',
    domains: [
      'developer.android.com', 'd.android.com', 'source.android.com', 'android.googlesource.com', 'issuetracker.google.com', 'www.apache.org', 'apache.org',
      'www.gnu.org', 'gnu.org', 'opensource.org', 'creativecommons.org', 'www.opensource.org', 'spdx.org', 'kotlinlang.org', 'youtrack.jetbrains.com',
    ],
    source: 'Android developer documentation and source links, the licence texts libraries cite (Apache, GNU, OSI, Creative Commons, SPDX), and the Kotlin documentation and issue links in the Kotlin standard library\'s error messages',
  },
  {
    reason: 'this device',
    domains: ['localhost', 'localhost.localdomain', 'ip6-localhost'],
    addresses: ['127.0.0.0/8', '0.0.0.0/8', '::1', '::'],
    source: 'RFC 1122 (127.0.0.0/8 loopback, 0.0.0.0/8 this network) and RFC 4291 (::1 loopback, :: unspecified)',
  },
  {
    reason: 'private or link-local network address',
    addresses: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10'],
    source: 'RFC 1918 private networks, RFC 3927 link-local, RFC 6598 shared address space: not servers on the internet',
  },
  {
    reason: 'documentation address',
    addresses: ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'],
    source: 'RFC 5737: address blocks reserved for documentation',
  },
];
