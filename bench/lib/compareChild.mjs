// Run by bench/compare.mjs in a fresh Node process, so the peak RSS it reports is this comparison's
// alone (the engine's app-parser worker threads live in this process, so their memory counts):
// compares two packages with the engine and writes what it measured to a JSON file.
//
//   node bench/lib/compareChild.mjs ENGINE_DIST OLD NEW OUT_JSON [--serial] [--no-code]
//
// --serial passes { parallel: false }: apps are parsed on the main thread, no worker pool.
// --no-code passes { codeAnalysis: false }: no DEX, VDEX or jar is read, no server searched for.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [engineDist, oldPath, newPath, outPath, ...flags] = process.argv.slice(2);
const { comparePackages } = await import(pathToFileURL(join(engineDist, 'electron/engine/compare.js')).href);

const started = performance.now();
const at = () => (performance.now() - started) / 1000;
// When each stage began, and when each side finished reading (its last progress report).
const marks = {};
const onProgress = (progress) => {
  if (progress.stage === 'reading' && progress.side !== undefined) {
    marks[`${progress.side} opened`] ??= at();
    if (progress.total !== undefined && progress.done === progress.total) marks[`${progress.side} read`] = at();
  } else {
    marks[progress.stage] ??= at();
  }
};
const result = await comparePackages(oldPath, newPath, { parallel: !flags.includes('--serial'), codeAnalysis: !flags.includes('--no-code'), onProgress });
const seconds = at();
const usage = process.resourceUsage();
const { apps } = result;
const packages = (list) => list.map((app) => app.package).sort();
writeFileSync(
  outPath,
  JSON.stringify({
    seconds,
    marks,
    maxRssBytes: usage.maxRSS * 1024,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    apps: {
      added: packages(apps.added),
      removed: packages(apps.removed),
      changed: packages(apps.changed),
      versionBumped: packages(apps.changed.filter((app) => app.versionCode !== undefined)),
      permissionAdded: packages(apps.changed.filter((app) => app.usesPermissions.added.length > 0)),
      preferenceFlipped: packages(apps.changed.filter((app) => app.preferences.changed.length > 0)),
      sdkAdded: packages(apps.changed.filter((app) => (app.code?.sdks.added.length ?? 0) > 0)),
    },
    code: {
      gainedTracker: (apps.codeFindings ?? []).filter((finding) => finding.app === 'changed' && finding.trackersAdded.length > 0).length,
      gainedServer: (apps.codeFindings ?? []).filter((finding) => finding.app === 'changed' && finding.hostsAdded.length > 0).length,
      dexFilesRead: [...apps.profiles.new, ...apps.profiles.old].reduce((sum, profile) => sum + (profile.code?.dexFiles.length ?? 0), 0),
    },
    features: result.features.filter((feature) => feature.change !== 'unchanged').map((feature) => ({ id: feature.id, change: feature.change, old: feature.old.state, new: feature.new.state })),
    otherDefaultChanges: result.otherDefaultChanges.length,
    filesChanged: result.files.changed.length,
    textDiffs: result.textDiffs.length,
    problems: { old: result.problems.old, new: result.problems.new },
  }),
);
