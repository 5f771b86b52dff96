import type { PackageDescription, Problem } from '../../shared/model.js';
import { sortByKey } from '../../shared/sort.js';
import { withPackage } from './formats/registry.js';
import { buildFacts, readProperties } from './buildFacts.js';

/** What a package is, without hashing it: kind, build facts, OTA metadata and partitions. */
export async function describePackage(path: string): Promise<PackageDescription> {
  return withPackage(path, async (handle) => {
    const problems: Problem[] = [...handle.opened.problems];
    // An app is not firmware: it has no build.prop to miss.
    const properties = handle.opened.format === 'apk' ? {} : await readProperties(handle.opened.tree, problems);
    const boot = (await handle.opened.readBoot?.()) ?? { boot: null, problems: [] };
    problems.push(...boot.problems);
    return {
      file: handle.probe.name,
      format: handle.opened.format,
      ...buildFacts(properties, handle.opened.otaMetadata),
      boot: boot.boot,
      otaMetadata: handle.opened.otaMetadata,
      partitions: handle.opened.partitions,
      problems: sortByKey(problems, (problem) => problem.path),
    };
  });
}
