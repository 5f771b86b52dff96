// The bench cache: generated inputs (GBs each) kept outside the repository in
// ${XDG_CACHE_HOME:-~/.cache}/otalens-bench/<prefix><key>/, keyed by their generator's version and
// parameters, so later runs skip the generation. info.json, written last, marks an entry complete.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function cacheRoot() {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'otalens-bench');
}

/**
 * The cache folder for `params` of a generator (`prefix`, `version`): { dir, info, generated }.
 * When its info.json is missing (or `rebuild`), the folder is emptied and `generate(dir)` makes
 * the input and returns its info. Other parameter sets' folders of the same prefix are deleted
 * unless `keepOthers`.
 */
export async function cachedInput({ prefix, version, params, rebuild = false, keepOthers = false, log = console.log, generate }) {
  const root = cacheRoot();
  const key = createHash('sha256').update(JSON.stringify({ version, ...params })).digest('hex').slice(0, 12);
  const dir = join(root, `${prefix}${key}`);
  mkdirSync(root, { recursive: true });
  if (!keepOthers) {
    for (const name of readdirSync(root)) {
      if (name.startsWith(prefix) && join(root, name) !== dir) {
        log(`removing the cached input of other parameters: ${join(root, name)} (--keep-cache keeps it)`);
        rmSync(join(root, name), { recursive: true, force: true });
      }
    }
  }
  const infoPath = join(dir, 'info.json');
  if (!rebuild && existsSync(infoPath)) return { dir, info: JSON.parse(readFileSync(infoPath, 'utf8')), generated: false };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const info = await generate(dir);
  writeInfo(dir, info);
  return { dir, info, generated: true };
}

/** Rewrites a cache entry's info.json (after adding to it). */
export function writeInfo(dir, info) {
  writeFileSync(join(dir, 'info.json'), `${JSON.stringify(info, null, 1)}\n`);
}
