/**
 * Preference screens (`res/xml/*.xml`) → each keyed preference with its default and where the
 * default comes from. This is where "on by default" lives for most app settings.
 */
import type { PreferenceDefault } from '../../../shared/app.js';
import { AndroidAttr, getAttribute, renderAxmlAsXml, walkElements, type AxmlAttribute, type AxmlDocument, type AxmlElement } from './axml/index.js';
import { isReference, ValueType } from './typedValue.js';
import { resolvedText, type ValueResolver } from './valueResolver.js';

/**
 * Two-state preferences: without `defaultValue` Android stores nothing and the preference reads as
 * unchecked, i.e. off (TwoStatePreference.onGetDefaultValue / onSetInitialValue). Vendor and
 * library subclasses keep the base class's simple name as a suffix by convention
 * (`miui.preference.CheckBoxPreference`, `androidx.preference.SwitchPreferenceCompat`).
 */
const TWO_STATE_SUFFIXES = ['CheckBoxPreference', 'SwitchPreference', 'SwitchPreferenceCompat', 'TwoStatePreference', 'CheckBoxPreferenceCompat'];

const RES_AUTO_NAMESPACE = 'http://schemas.android.com/apk/res-auto';
const FRAMEWORK_PACKAGE_ID = 0x01;

type PreferenceAttributeName = 'key' | 'title' | 'summary' | 'defaultValue';

/**
 * A preference attribute: the framework's (`android:key`), or the app's own attribute of the same
 * name, which is how androidx.preference is declared (`app:key`, an `@attr/key` of the app).
 */
function preferenceAttribute(element: AxmlElement, name: PreferenceAttributeName, resolver: ValueResolver): AxmlAttribute | undefined {
  return (
    getAttribute(element, AndroidAttr[name]) ??
    element.attributes.find((attribute) =>
      attribute.resourceId === undefined
        ? attribute.namespaceUri === RES_AUTO_NAMESPACE && attribute.name === name
        : attribute.resourceId >>> 24 !== FRAMEWORK_PACKAGE_ID && resolver.nameOf(attribute.resourceId) === `@attr/${name}`,
    )
  );
}

/** A resource XML is a preference screen when its root is a preference type. */
export function isPreferenceScreen(document: AxmlDocument): boolean {
  const root = document.root;
  return root !== null && isPreferenceElement(root.name);
}

function isPreferenceElement(name: string): boolean {
  const simple = name.slice(name.lastIndexOf('.') + 1);
  return /Preference(Screen|Category|Compat)?$/.test(simple);
}

/** Screens and categories group preferences; a key on them names the group, not a stored value. */
function isPreferenceGroup(name: string): boolean {
  return /Preference(Screen|Category)$/.test(name.slice(name.lastIndexOf('.') + 1));
}

export function isTwoStatePreference(elementName: string): boolean {
  const simple = elementName.slice(elementName.lastIndexOf('.') + 1);
  return TWO_STATE_SUFFIXES.some((suffix) => simple.endsWith(suffix));
}

/** Every preference with a key in one preference-screen document, and the document as XML text. */
export function readPreferenceDefaults(document: AxmlDocument, file: string, resolver: ValueResolver): { preferences: PreferenceDefault[]; xml: string } {
  const rendered = renderAxmlAsXml(document, { resolveReference: (id) => resolver.nameOf(id) });
  const preferences: PreferenceDefault[] = [];
  for (const element of walkElements(document.root)) {
    const key = resolvedText(resolver, preferenceAttribute(element, 'key', resolver)?.value);
    if (key === null || !isPreferenceElement(element.name) || isPreferenceGroup(element.name)) continue;
    preferences.push({
      file,
      key,
      type: element.name,
      title: resolvedText(resolver, preferenceAttribute(element, 'title', resolver)?.value),
      summary: resolvedText(resolver, preferenceAttribute(element, 'summary', resolver)?.value),
      ...defaultOf(element, resolver),
      line: rendered.lineOf(element) ?? 0,
    });
  }
  return { preferences, xml: rendered.text };
}

function defaultOf(element: AxmlElement, resolver: ValueResolver): Pick<PreferenceDefault, 'defaultValue' | 'defaultSource' | 'defaultResource'> {
  const attribute = preferenceAttribute(element, 'defaultValue', resolver);
  if (attribute === undefined) {
    return { defaultValue: isTwoStatePreference(element.name) ? 'false' : null, defaultSource: 'implicit' };
  }
  if (!isReference(attribute.value)) {
    const literal = attribute.value.type === ValueType.STRING ? (attribute.rawValue ?? attribute.value.string ?? '') : resolvedText(resolver, attribute.value);
    return { defaultValue: literal, defaultSource: 'literal' };
  }
  const resolved = resolver.resolve(attribute.value);
  const name = resolved.resourceName ?? resolver.nameOf(attribute.value.data >>> 0) ?? `@0x${(attribute.value.data >>> 0).toString(16).padStart(8, '0')}`;
  return { defaultValue: resolvedText(resolver, attribute.value), defaultSource: 'resource', defaultResource: name };
}
