/**
 * Pure shape checks for everything that crosses the renderer → main boundary. The renderer is
 * treated as untrusted: every argument arrives as `unknown` and is either proven to have the
 * contract's shape or rejected with a UsageError. File-system checks (does the path exist?) are
 * the main process's job, not this module's.
 */
import { EXPORT_FORMAT_NAMES, type CompareRequest, type ExportFormat, type ExportRequest, type PackageKind, type Side, type TimelineRequest } from './api.js';
import { SCHEMA_VERSION, type ComparisonResult } from './model.js';

/** The caller broke the contract (wrong type, missing or extra field, relative path…). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Longest accepted path, in UTF-16 code units. Linux's PATH_MAX is 4096 bytes and macOS's 1024;
 * Windows long paths can reach 32767 characters, which is also the bound here.
 */
export const MAX_PATH_LENGTH = 32_767;

const SIDES: readonly Side[] = ['old', 'new'];
const PACKAGE_KINDS: readonly PackageKind[] = ['file', 'folder'];
const COMPARE_REQUEST_KEYS = ['newPath', 'oldPath'] as const;

export function parseSide(value: unknown): Side {
  if (typeof value === 'string' && (SIDES as readonly string[]).includes(value)) return value as Side;
  throw new UsageError(`side must be 'old' or 'new', got ${describe(value)}`);
}

export function parsePackageKind(value: unknown): PackageKind {
  if (typeof value === 'string' && (PACKAGE_KINDS as readonly string[]).includes(value)) return value as PackageKind;
  throw new UsageError(`kind must be 'file' or 'folder', got ${describe(value)}`);
}

/** An object with exactly the fields `keys` (sorted), or a UsageError naming what came instead. */
function exactObject(value: unknown, what: string, keys: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(value)) throw new UsageError(`${what} must be an object, got ${describe(value)}`);
  const found = Object.keys(value).sort();
  if (found.length !== keys.length || found.some((key, i) => key !== keys[i])) {
    throw new UsageError(`${what} must have exactly the fields ${keys.join(', ')}, got ${found.length === 0 ? 'none' : truncate(found.join(', '))}`);
  }
  return value;
}

export function parseCompareRequest(input: unknown): CompareRequest {
  const value = exactObject(input, 'compare request', COMPARE_REQUEST_KEYS);
  return {
    oldPath: parseAbsolutePath(value['oldPath'], 'oldPath'),
    newPath: parseAbsolutePath(value['newPath'], 'newPath'),
  };
}

const EXPORT_REQUEST_KEYS = ['format', 'result'] as const;

/**
 * An export request: a known format and something shaped like a comparison result. The result is
 * only written out (as JSON, Markdown or into the report page, which treats it as text), so its
 * top-level shape is what needs proving here.
 */
export function parseExportRequest(input: unknown): ExportRequest {
  const value = exactObject(input, 'export request', EXPORT_REQUEST_KEYS);
  const format = value['format'];
  if (typeof format !== 'string' || !(EXPORT_FORMAT_NAMES as readonly string[]).includes(format)) {
    throw new UsageError(`format must be one of ${EXPORT_FORMAT_NAMES.join(', ')}, got ${describe(format)}`);
  }
  const result = value['result'];
  if (!isPlainObject(result) || result['schemaVersion'] !== SCHEMA_VERSION) {
    throw new UsageError(`result must be a comparison result of schema version ${SCHEMA_VERSION}`);
  }
  for (const side of ['old', 'new'] as const) {
    const info = result[side];
    if (!isPlainObject(info) || typeof info['file'] !== 'string') throw new UsageError(`result.${side}.file must be a string`);
  }
  return { format: format as ExportFormat, result: result as unknown as ComparisonResult };
}

const TIMELINE_REQUEST_KEYS = ['claims', 'keepOrder', 'paths'] as const;
/** Most builds one timeline follows, and most claims, and the longest claim, from the page. */
export const MAX_TIMELINE_BUILDS = 200;
const MAX_TIMELINE_CLAIMS = 50;
const MAX_CLAIM_LENGTH = 1000;

/** A timeline request: 2 to MAX_TIMELINE_BUILDS absolute paths, an order flag and claim texts. */
export function parseTimelineRequest(input: unknown): TimelineRequest {
  const value = exactObject(input, 'timeline request', TIMELINE_REQUEST_KEYS);
  const paths = value['paths'];
  if (!Array.isArray(paths) || paths.length < 2 || paths.length > MAX_TIMELINE_BUILDS) throw new UsageError(`paths must be a list of 2 to ${MAX_TIMELINE_BUILDS} absolute paths, got ${describe(paths)}`);
  const keepOrder = value['keepOrder'];
  if (typeof keepOrder !== 'boolean') throw new UsageError(`keepOrder must be true or false, got ${describe(keepOrder)}`);
  const claims = value['claims'];
  if (!Array.isArray(claims) || claims.length > MAX_TIMELINE_CLAIMS) throw new UsageError(`claims must be a list of at most ${MAX_TIMELINE_CLAIMS} strings, got ${describe(claims)}`);
  return {
    paths: paths.map((path: unknown, index) => parseAbsolutePath(path, `paths[${index}]`)),
    keepOrder,
    claims: claims.map((claim: unknown, index) => {
      if (typeof claim !== 'string' || claim.length === 0 || claim.length > MAX_CLAIM_LENGTH || claim.includes('\0')) {
        throw new UsageError(`claims[${index}] must be a string of 1 to ${MAX_CLAIM_LENGTH} characters, got ${describe(claim)}`);
      }
      return claim;
    }),
  };
}

/** Longest recent-comparison id accepted (they are 64-character hex digests). */
const MAX_RECENT_ID_LENGTH = 128;

export function parseRecentId(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_RECENT_ID_LENGTH || !/^[0-9a-f]+$/.test(value)) {
    throw new UsageError(`a recent comparison id must be a hex string of at most ${MAX_RECENT_ID_LENGTH} characters, got ${describe(value)}`);
  }
  return value;
}

/** Accepts an absolute path in POSIX (`/a/b`) or Windows (`C:\a`, `\\server\share\a`) form. */
export function parseAbsolutePath(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new UsageError(`${field} must be a string, got ${describe(value)}`);
  if (value.length === 0) throw new UsageError(`${field} must not be empty`);
  if (value.length > MAX_PATH_LENGTH) throw new UsageError(`${field} is ${value.length} characters long; the limit is ${MAX_PATH_LENGTH}`);
  if (value.includes('\0')) throw new UsageError(`${field} must not contain a NUL character`);
  if (!isAbsolutePathSyntax(value)) throw new UsageError(`${field} must be an absolute path, got ${JSON.stringify(truncate(value))}`);
  return value;
}

/** A device path inside a package: `/system/build.prop`, `/system/app/A.apk!/res/xml/p.xml`. */
export function parseDevicePath(value: unknown): string {
  if (typeof value !== 'string') throw new UsageError(`a device path must be a string, got ${describe(value)}`);
  if (!value.startsWith('/')) throw new UsageError(`a device path must start with /, got ${JSON.stringify(truncate(value))}`);
  if (value.length > MAX_PATH_LENGTH) throw new UsageError(`the device path is ${value.length} characters long; the limit is ${MAX_PATH_LENGTH}`);
  if (value.split(/\/|!\//).some((segment) => segment === '.' || segment === '..' || segment.includes('\0'))) {
    throw new UsageError('a device path may not contain ".", ".." or NUL');
  }
  return value;
}

export function isAbsolutePathSyntax(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || /^\\\\[^\\/]+[\\/][^\\/]+/.test(path);
}

/**
 * Checks that a call carried no more arguments than the contract declares. Missing ones arrive
 * as `undefined` and are rejected by the per-argument checks.
 */
export function expectAtMostArgs(channel: string, args: readonly unknown[], count: number): void {
  if (args.length > count) {
    throw new UsageError(`${channel} takes ${count} argument${count === 1 ? '' : 's'}, got ${args.length}`);
  }
}

/** Only `{…}` literals (what structured clone produces), never class instances, arrays or proxies of them. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(truncate(value));
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}

/** Keeps error messages one readable line even when the caller sent a megabyte string. */
function truncate(text: string, limit = 80): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length} characters)`;
}
