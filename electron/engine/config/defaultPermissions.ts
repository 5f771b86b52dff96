import type { PermissionGrant } from '../../../shared/inventory.js';
import { parseXml, type XmlElement } from './xml.js';

/**
 * `etc/default-permissions/*.xml`: runtime permissions the platform grants to preinstalled apps on
 * first boot, read as frameworks/base `DefaultPermissionGrantPolicy.java` (`parse`,
 * `parseExceptions`, `parsePermission`) reads them:
 *
 *     <exceptions>
 *       <exception package="…" [sha256-cert-digest="…"] [brand="…"]>
 *         <permission name="…" [fixed="true|false"] [whitelisted="true|false"]/>
 *       </exception>
 *     </exceptions>
 *
 * - `fixed` is `Boolean.parseBoolean`: true only for `true` in any case; absent or anything else is
 *   false (the user can then revoke the grant).
 * - Android does not skip unknown elements, it walks into them: an `<exceptions>` anywhere in the
 *   document counts, and so do `<exception>` / `<permission>` elements wrapped in unknown ones.
 * - An `<exception>` without `package`, or a `<permission>` without `name`, is skipped with its
 *   content.
 * - Quirk kept on purpose: Android tests the element name with `"permission".contains(name)`, so
 *   `<perm>` or `<mission>` inside an `<exception>` also grant.
 * Not modelled: Android drops exceptions for packages that are not on the system image, and ignores
 * permissions that are not dangerous; `sha256-cert-digest`, `brand` and `whitelisted` are not kept.
 */
export function parseDefaultPermissions(text: string, file: string): PermissionGrant[] {
  const grants: PermissionGrant[] = [];
  walkDocument(parseXml(text, file), file, grants);
  return grants;
}

function walkDocument(element: XmlElement, file: string, out: PermissionGrant[]): void {
  const walkChild = element.name === 'exceptions' ? walkExceptions : walkDocument;
  for (const child of element.children) walkChild(child, file, out);
}

function walkExceptions(element: XmlElement, file: string, out: PermissionGrant[]): void {
  if (element.name !== 'exception') {
    for (const child of element.children) walkExceptions(child, file, out);
    return;
  }
  const packageName = element.attributes.get('package');
  if (packageName === undefined) return;
  for (const child of element.children) walkException(child, packageName, file, out);
}

function walkException(element: XmlElement, packageName: string, file: string, out: PermissionGrant[]): void {
  if ('permission'.includes(element.name)) {
    const permission = element.attributes.get('name');
    if (permission === undefined) return;
    out.push({
      kind: 'default-permission',
      package: packageName,
      permission,
      fixed: /^true$/i.test(element.attributes.get('fixed') ?? ''),
      file,
      line: element.line,
    });
  }
  for (const child of element.children) walkException(child, packageName, file, out);
}
