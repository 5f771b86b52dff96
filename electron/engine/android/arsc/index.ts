export { type ResourceConfig, formatQualifiers, readConfig } from './config.js';
export { type ConfigValue, MAX_REFERENCE_CHAIN, type ResolveOptions, type ResolvedValue, ResourceResolver, type UnresolvedReason } from './resolver.js';
export {
  EntryFlag,
  type ResourceBag,
  type ResourceBagItem,
  type ResourceEntry,
  type ResourcePackage,
  type ResourceTable,
  type ResourceType,
  ResourceTypeChunk,
  type SharedLibrary,
  TypeFlag,
  parseResourceTable,
} from './table.js';
