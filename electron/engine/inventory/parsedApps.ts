import type { AppParseResult } from './appParsing.js';

/**
 * Apps both builds of a comparison hold byte for byte at the same device path are parsed once:
 * the other build takes a copy of the first one's reading. Each build then adjusts its own (the
 * permissions its Android version implies, its platform key, code found beside the APK), so the
 * copy is taken as soon as the APK is parsed, before any build touches it.
 */
export class ParsedApps {
  private readonly copies = new Map<string, Promise<AppParseResult>>();

  /** The reading of the APK at `path` with content `sha256`: parsed by `parse` the first time, the copy the second. */
  reading(path: string, sha256: string, parse: () => Promise<AppParseResult>): Promise<AppParseResult> {
    const key = `${path}\u0000${sha256}`;
    const copy = this.copies.get(key);
    if (copy !== undefined) {
      // Two builds ask for an APK at most once each: the copy goes to the second and is dropped here.
      this.copies.delete(key);
      return copy;
    }
    const parsed = parse();
    const copied = parsed.then((result) => structuredClone(result));
    // An APK only one build has is never asked for again: its copy's failure must not go unhandled.
    copied.catch(() => undefined);
    this.copies.set(key, copied);
    return parsed;
  }
}
