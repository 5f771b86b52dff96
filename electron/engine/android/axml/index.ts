export { ANDROID_NAMESPACE, AndroidAttr, type AndroidAttrName, androidAttributeName } from './androidAttributes.js';
export { type AxmlToXmlOptions, type AxmlXmlText, attributeDisplayName, attributeText, axmlToXmlText, escapeXml, renderAxmlAsXml } from './axmlToXml.js';
export { type DecodeLocation } from './chunks.js';
export {
  type AxmlAttribute,
  type AxmlDocument,
  type AxmlElement,
  type AxmlNamespace,
  type AxmlNode,
  type AxmlText,
  childElements,
  decodeAxml,
  getAttribute,
  getAttributeByName,
  walkElements,
} from './decodeAxml.js';
export { StringPool } from './stringPool.js';
