/** Parsers for the platform's default-configuration files; each takes a file's device path and text. */
export { configFileKind, type ConfigFileKind } from './configFiles.js';
export { parseDefaultPermissions } from './defaultPermissions.js';
export { parseInitRc, tokenizeRc, type RcLine } from './initRc.js';
export {
  isLegalPropertyName,
  isPropertyFile,
  layerProperties,
  layerPropertyFiles,
  LEGACY_PROPERTY_FILE_ORDER,
  planPropertyLoad,
  PROPERTY_FILE_ORDER,
  propertyLoadModelFor,
  type PlannedPropertyFile,
  type PropertyLayering,
  type PropertyFileText,
  type PropertyLoadModel,
  type PropertyLoadPlan,
} from './propertyLayers.js';
export { parseSystemConfigXml, type SystemConfig } from './systemConfig.js';
export { attribute, DEFAULT_XML_LIMITS, parseXml, type XmlElement, type XmlLimits } from './xml.js';
