import type { CodeFinding, SigningFinding } from './appDiff.js';
import { sdkText, summariseCode } from './codeDiff.js';
import { flagAddress, flagValueText, type FeatureFlag } from './flags.js';
import { formatLabel } from './labels.js';
import { leadingFindings, otherFindings } from './signingFindings.js';
import { securityMarkdown, securityTextLines } from './securitySummary.js';
import type { ComparisonResult, PackageSide } from './model.js';
import type { Evidence, FeatureVerdict, SideVerdict } from './verdict.js';

const TEXT_LIST_LIMIT = 12;

/** The features worth leading with: changed or on by default on either side. */
function notableFeatures(result: ComparisonResult): FeatureVerdict[] {
  return result.features.filter((feature) => feature.change !== 'unchanged' || feature.new.state === 'default-on' || feature.old.state === 'default-on');
}

/** `2 apps (com.a, com.b)`: how many apps and which, by package. */
function appsCounted(findings: readonly CodeFinding[]): string {
  const names = findings.map((finding) => finding.package);
  const shown = names.length > TEXT_LIST_LIMIT ? [...names.slice(0, TEXT_LIST_LIMIT), `${names.length - TEXT_LIST_LIMIT} more`] : names;
  return `${names.length} ${names.length === 1 ? 'app' : 'apps'}${names.length === 0 ? '' : ` (${shown.join(', ')})`}`;
}

/** The code layer in counts: apps that gained trackers, apps that gained servers, new apps with trackers. */
export function codeCountLines(result: Pick<ComparisonResult, 'apps'>): string[] {
  if (result.apps.codeFindings === undefined) return [];
  const code = summariseCode(result.apps.codeFindings);
  return [
    `Gained a tracker: ${appsCounted(code.gainedTrackers)}`,
    `Gained a server: ${appsCounted(code.gainedServers)}`,
    `New apps carrying trackers: ${appsCounted(code.newAppsWithTrackers)}`,
  ];
}

function countsLine(result: ComparisonResult): string[] {
  const { apps, properties, settings, permissionGrants, files } = result;
  return [
    `Apps: ${apps.changed.length} changed, ${apps.added.length} added, ${apps.removed.length} removed`,
    `Properties: ${properties.changed.length} changed, ${properties.added.length} added, ${properties.removed.length} removed`,
    `Settings defaults: ${settings.changed.length} changed, ${settings.added.length} added, ${settings.removed.length} removed`,
    `Permission grants: ${permissionGrants.added.length} added, ${permissionGrants.removed.length} removed`,
    `Files: ${files.changed.length} changed, ${files.added.length} added, ${files.removed.length} removed`,
    ...codeCountLines(result),
    ...flagCounts(result),
  ];
}

/** `Flags: 2 flipped, …` when either build has flags (results made before flags were read have none). */
function flagCounts(result: ComparisonResult): string[] {
  const flags = result.flags;
  if (flags === undefined || flags.added.length + flags.removed.length + flags.changed.length === 0) return [];
  return [`Flags: ${flags.changed.length} flipped or changed, ${flags.added.length} added, ${flags.removed.length} removed`];
}

/** One line per flag that changed: `com.x.y: disabled → enabled (read-write)`. */
export function flagChangeLines(result: ComparisonResult): string[] {
  const describe = flagValueText;
  const flags = result.flags;
  if (flags === undefined) return [];
  return [
    ...flags.changed.map((change) => `~ ${change.name}: ${describe(change.old)} → ${describe(change.new)}`),
    ...flags.added.map((flag) => `+ ${flagAddress(flag)}: ${describe(flag)}`),
    ...flags.removed.map((flag) => `- ${flagAddress(flag)} (was ${describe(flag)})`),
  ];
}

/** Key claims as `pref:KEY=off: CONFIRMED. sentence`. */
function keyClaimLines(result: ComparisonResult): string[] {
  return (result.keyClaims ?? []).map((check) => `${check.text}: ${check.verdict.toUpperCase()}. ${check.summary}`);
}

/** A fact of both builds that says how up to date each is. */
export interface PatchFact {
  label: string;
  old: string | null;
  new: string | null;
}

/**
 * The Android security patch (build.prop), the boot image's patch level and the kernel release of
 * both builds, the facts that answer "does this update have this month's patch?"; a fact neither
 * build states is left out.
 */
export function patchFacts(result: Pick<ComparisonResult, 'old' | 'new'>): PatchFact[] {
  const facts: PatchFact[] = [
    { label: 'Security patch', old: result.old.securityPatch, new: result.new.securityPatch },
    { label: 'Boot patch level', old: result.old.boot?.securityPatch ?? null, new: result.new.boot?.securityPatch ?? null },
    { label: 'Kernel', old: result.old.boot?.kernelVersion ?? null, new: result.new.boot?.kernelVersion ?? null },
  ];
  return facts.filter((fact) => fact.old !== null || fact.new !== null);
}

function patchFactText(fact: PatchFact): string {
  if (fact.old === fact.new) return `${fact.new} (unchanged)`;
  return `${fact.old ?? '(not stated)'} → ${fact.new ?? '(not stated)'}`;
}

/** The short terminal summary `otalens compare` prints: verdicts first, one fact per line. */
export function textSummary(result: ComparisonResult): string {
  const lines: string[] = [`OTA Lens: ${result.old.file} → ${result.new.file}`];
  lines.push(`  old  ${describeBuild(result.old)}`, `  new  ${describeBuild(result.new)}`);
  for (const fact of patchFacts(result)) lines.push(`  ${`${fact.label}:`.padEnd(18)}${patchFactText(fact)}`);
  if (result.ruleFiles !== undefined) lines.push(`  ${'Feature rules:'.padEnd(18)}built-in + ${result.ruleFiles.join(' + ')}`);
  lines.push('');

  const testKeys = leadingFindings(result.apps.signingFindings);
  if (testKeys.length > 0) {
    lines.push("Signed with AOSP's public test keys (anyone holding these published keys can sign updates to these apps):");
    lines.push(...limited(testKeys.map((finding) => `  ✘ ${finding.summary}`)), '');
  }

  lines.push('Verdicts:');
  for (const feature of result.features) {
    lines.push(`  ${marker(feature)} ${feature.summary}`);
    if (feature.change === 'unchanged') continue;
    for (const [side, verdict] of [['old', feature.old], ['new', feature.new]] as const) {
      const evidence = decisiveEvidence(verdict);
      if (evidence !== undefined) lines.push(`      ${side}: ${evidenceLine(evidence)}`);
    }
  }
  if (notableFeatures(result).some((feature) => feature.reachNote !== undefined)) lines.push('', `Note: ${result.features.find((feature) => feature.reachNote)?.reachNote}`);
  lines.push(...securityTextLines(result));
  if (result.claims !== undefined || result.keyClaims !== undefined) {
    lines.push('', 'Claims:');
    for (const claim of result.claims ?? []) lines.push(`  ${claim.feature}=${claim.claimed}: ${claim.verdict.toUpperCase()}. ${claim.summary}`);
    lines.push(...keyClaimLines(result).map((line) => `  ${line}`));
  }
  if (result.otherDefaultChanges.length > 0) {
    lines.push('', 'Other default changes worth a look:');
    lines.push(...limited(result.otherDefaultChanges.map((change) => `  ~ ${change.kind} ${change.package === null ? '' : `${change.package} `}${change.name}${change.title === null ? '' : ` (“${change.title}”)`}: ${change.old} → ${change.new}`)));
  }

  const signing = otherFindings(result.apps.signingFindings);
  if (signing.length > 0) lines.push('', 'Signatures:', ...limited(signing.map((finding) => `  ${findingMarker(finding)} ${finding.summary}`)));

  const findings = result.apps.codeFindings ?? [];
  if (findings.length > 0) {
    lines.push('', 'Trackers and servers (SDKs in the apps\' code; servers named in their code, resources and XML):');
    lines.push(...limited(findings.map((finding) => `  ${finding.trackersAdded.length > 0 ? '✘' : '~'} ${finding.summary}`)));
  }

  lines.push('', ...countsLine(result));
  const { apps, properties } = result;
  const appLines = [
    ...apps.added.map((app) => `  + app ${app.package} (${app.path})`),
    ...apps.removed.map((app) => `  - app ${app.package} (${app.path})`),
    ...apps.changed.flatMap((app) => app.usesPermissions.added.map((permission) => `  ~ app ${app.package} now asks for ${permission}${impliedNote(result, app.package, permission)}`)),
  ];
  const propertyLines = [
    ...properties.changed.map((change) => `  ~ ${change.name}: ${change.old} → ${change.new}`),
    ...properties.added.map((change) => `  + ${change.name} = ${change.new}`),
    ...properties.removed.map((change) => `  - ${change.name} (was ${change.old})`),
  ];
  const flagLines = flagChangeLines(result);
  if (flagLines.length > 0) lines.push('', 'Flags that flipped or changed:', ...limited(flagLines.map((line) => `  ${line}`)));
  if (appLines.length > 0) lines.push('', 'App changes:', ...limited(appLines));
  if (propertyLines.length > 0) lines.push('', 'Property changes:', ...limited(propertyLines));

  const problems = [...result.problems.old.map((p) => ({ side: 'old', ...p })), ...result.problems.new.map((p) => ({ side: 'new', ...p }))];
  if (problems.length > 0) {
    lines.push('', `Problems (${problems.length}; these parts were skipped, the rest was compared):`);
    lines.push(...limited(problems.map((problem) => `  ! ${problem.side} ${problem.path}: ${problem.message}`)));
  }
  return `${lines.join('\n')}\n`;
}

/** ` (implied: reason)` when the new build's app does not ask for the permission itself but Android adds it. */
function impliedNote(result: ComparisonResult, packageName: string, permission: string): string {
  const implied = result.apps.profiles.new.find((profile) => profile.package === packageName)?.usesPermissions.find((item) => item.name === permission)?.implied;
  return implied === undefined ? '' : ` (implied: ${implied.reason})`;
}

function findingMarker(finding: SigningFinding): string {
  if (finding.builds === 'old') return '·';
  return finding.kind === 'signer-changed' ? '~' : '!';
}

function marker(feature: FeatureVerdict): string {
  switch (feature.change) {
    case 'now-opt-in':
      return '✔';
    case 'now-default-on':
      return '✘';
    case 'unknown':
      return '?';
    default:
      return feature.new.state === 'default-on' ? '!' : '·';
  }
}

/** The evidence that decided a side's state (the first one saying the same), else the first. */
export function decisiveEvidence(verdict: SideVerdict): Evidence | undefined {
  return verdict.evidence.find((evidence) => evidence.state === verdict.state) ?? verdict.evidence[0];
}

function evidenceLine(evidence: Evidence): string {
  return `${evidence.path}${evidence.line === undefined ? '' : `:${evidence.line}`}: ${evidence.detail}`;
}

/**
 * The Markdown a journalist can paste: verdicts first, then the evidence, then the counts.
 * Firmware text always sits in code spans, so it can never turn into markup.
 */
export function markdownSummary(result: ComparisonResult): string {
  const out: string[] = [`# OTA Lens: ${code(result.old.file)} → ${code(result.new.file)}`, ''];
  const patches = patchFacts(result);
  if (patches.length > 0) out.push(...patches.map((fact) => `- ${fact.label}: ${fact.old === fact.new ? `${cell(fact.new)} (unchanged)` : `${cell(fact.old)} → ${cell(fact.new)}`}`), '');
  const testKeys = leadingFindings(result.apps.signingFindings);
  if (testKeys.length > 0) {
    out.push("## Signed with AOSP's public test keys", '', 'Anyone holding these published keys can sign updates to these apps.', '');
    out.push(...testKeys.map((finding) => `- ${code(finding.path)}: ${escapeMarkdownText(finding.summary)}`), '');
  }
  out.push('## Verdicts', '');
  if (result.ruleFiles !== undefined) out.push(`Feature rules: the built-in ones and ${result.ruleFiles.map(code).join(', ')}.`, '');
  for (const feature of result.features) out.push(`- **${escapeMarkdownText(feature.title)}**: ${escapeMarkdownText(feature.summary)}`);
  const note = result.features.find((feature) => feature.reachNote !== undefined)?.reachNote;
  if (note !== undefined) out.push('', `> ${escapeMarkdownText(note)}`);
  out.push('');
  out.push(...securityMarkdown(result, code, escapeMarkdownText));
  if (result.claims !== undefined || result.keyClaims !== undefined) {
    out.push('## Claims checked', '');
    for (const claim of result.claims ?? []) out.push(`- ${code(`${claim.feature}=${claim.claimed}`)}: **${claim.verdict}**. ${escapeMarkdownText(claim.summary)}`);
    for (const check of result.keyClaims ?? []) {
      out.push(`- ${code(check.text)}: **${check.verdict}**. ${escapeMarkdownText(check.summary)}`);
      out.push(...check.evidence.map((evidence) => `  - ${code(`${evidence.path}${evidence.line === undefined ? '' : `:${evidence.line}`}`)}: ${escapeMarkdownText(evidence.detail)}`));
    }
    out.push('');
  }

  out.push('## Evidence', '');
  for (const feature of result.features) {
    if (feature.old.evidence.length === 0 && feature.new.evidence.length === 0) continue;
    out.push(`### ${escapeMarkdownText(feature.title)}`, '');
    for (const [side, verdict] of [['Old build', feature.old], ['New build', feature.new]] as const) {
      out.push(`${side}: ${verdict.state}`, '');
      out.push(...verdict.evidence.map((evidence) => `- ${code(`${evidence.path}${evidence.line === undefined ? '' : `:${evidence.line}`}`)}: ${escapeMarkdownText(evidence.detail)}`), '');
    }
  }
  if (result.otherDefaultChanges.length > 0) {
    out.push('## Other default changes worth a look', '', '| Kind | Name | Old | New | Where |', '|---|---|---|---|---|');
    for (const change of result.otherDefaultChanges) {
      const name = change.title === null ? change.name : `${change.name} (${change.title})`;
      out.push(`| ${change.kind} | ${cell(change.package === null ? name : `${change.package}: ${name}`)} | ${cell(change.old)} | ${cell(change.new)} | ${cell(change.evidence.new?.path ?? change.evidence.old?.path ?? null)} |`);
    }
    out.push('');
  }

  const flags = result.flags;
  if (flags !== undefined && flags.changed.length + flags.added.length + flags.removed.length > 0) {
    out.push('## Flags that flipped or changed', '', '| Flag | Old | New | Where |', '|---|---|---|---|');
    const cellOf = (flag: FeatureFlag | null): string => cell(flag === null ? null : flagValueText(flag));
    for (const change of flags.changed) out.push(`| ${cell(change.name)} | ${cellOf(change.old)} | ${cellOf(change.new)} | ${cell(change.new.file)} |`);
    for (const flag of flags.added) out.push(`| ${cell(flagAddress(flag))} | — | ${cellOf(flag)} | ${cell(flag.file)} |`);
    for (const flag of flags.removed) out.push(`| ${cell(flagAddress(flag))} | ${cellOf(flag)} | — | ${cell(flag.file)} |`);
    out.push('');
  }

  const signing = otherFindings(result.apps.signingFindings);
  if (signing.length > 0) {
    out.push('## Signatures', '');
    out.push(...signing.map((finding) => `- ${code(finding.path)}: ${escapeMarkdownText(finding.summary)}`), '');
  }

  const codeFindingList = result.apps.codeFindings ?? [];
  if (codeFindingList.length > 0) {
    out.push('## Trackers and servers', '', 'SDKs found by the classes in the apps\' code; servers named in their code, resources and XML.', '');
    for (const finding of codeFindingList) {
      const what = [
        ...finding.trackersAdded.map((sdk) => `tracker ${code(sdkText(sdk))} (${code(sdk.evidence.className)} in ${code(sdk.evidence.dexFile)})`),
        ...finding.otherSdksAdded.map((sdk) => `SDK ${code(sdkText(sdk))} (${code(sdk.evidence.className)} in ${code(sdk.evidence.dexFile)})`),
        ...finding.hostsAdded.map((host) => `server ${code(host.host)} (${code(host.sample)} in ${code(host.foundIn)})`),
      ];
      out.push(`- ${finding.app === 'added' ? 'new app ' : ''}${code(finding.package)} at ${code(finding.path)}: ${what.join('; ')}`);
    }
    out.push('');
  }

  out.push('## Builds', '', '| | Old build | New build |', '|---|---|---|');
  out.push(`| Fingerprint | ${cell(result.old.fingerprint)} | ${cell(result.new.fingerprint)} |`);
  out.push(`| Android | ${cell(result.old.androidVersion)} | ${cell(result.new.androidVersion)} |`);
  out.push(`| Security patch | ${cell(result.old.securityPatch)} | ${cell(result.new.securityPatch)} |`);
  out.push(`| Boot patch level | ${cell(result.old.boot?.securityPatch ?? null)} | ${cell(result.new.boot?.securityPatch ?? null)} |`);
  out.push(`| Kernel | ${cell(result.old.boot?.kernelVersion ?? null)} | ${cell(result.new.boot?.kernelVersion ?? null)} |`);
  out.push(`| Format | ${formatLabel(result.old.format)} | ${formatLabel(result.new.format)} |`);
  out.push(`| SHA-256 | ${cell(result.old.sha256)} | ${cell(result.new.sha256)} |`, '');

  out.push('## Counts', '', ...countsLine(result).map((line) => `- ${escapeMarkdownText(line)}`), '');
  const { apps } = result;
  if (apps.added.length + apps.removed.length + apps.changed.length > 0) {
    out.push('### Apps', '');
    out.push(...apps.added.map((app) => `- added ${code(app.package)} at ${code(app.path)}`));
    out.push(...apps.removed.map((app) => `- removed ${code(app.package)} from ${code(app.path)}`));
    for (const app of apps.changed) {
      const parts = [
        ...app.usesPermissions.added.map((permission) => `asks for ${code(permission)}${escapeMarkdownText(impliedNote(result, app.package, permission))}`),
        ...app.usesPermissions.removed.map((permission) => `no longer asks for ${code(permission)}`),
        ...(app.versionName === undefined ? [] : [`version ${code(String(app.versionName.old))} → ${code(String(app.versionName.new))}`]),
        ...(app.code?.sdks.added ?? []).map((sdk) => `gains SDK ${code(sdkText(sdk))}`),
        ...(app.code?.sdks.removed ?? []).map((sdk) => `drops SDK ${code(sdkText(sdk))}`),
        ...(app.code?.hosts.added ?? []).map((host) => `names server ${code(host.host)}`),
        ...(app.code?.hosts.removed ?? []).map((host) => `no longer names ${code(host.host)}`),
        ...(app.code?.notCompared === undefined ? [] : [escapeMarkdownText(app.code.notCompared)]),
      ];
      out.push(`- changed ${code(app.package)}${parts.length === 0 ? '' : `: ${parts.join(', ')}`}`);
    }
    out.push('');
  }
  const { properties } = result;
  const propertyRows = [
    ...properties.changed.map((change) => `| changed | ${cell(change.name)} | ${cell(change.old)} | ${cell(change.new)} |`),
    ...properties.added.map((change) => `| added | ${cell(change.name)} | — | ${cell(change.new)} |`),
    ...properties.removed.map((change) => `| removed | ${cell(change.name)} | ${cell(change.old)} | — |`),
  ];
  if (propertyRows.length > 0) out.push('### Properties', '', '| Change | Property | Old | New |', '|---|---|---|---|', ...propertyRows, '');

  const problems = [...result.problems.old.map((p) => ({ side: 'old', ...p })), ...result.problems.new.map((p) => ({ side: 'new', ...p }))];
  if (problems.length > 0) {
    out.push('## Problems', '', 'These parts could not be read and were skipped; the rest was compared.', '');
    out.push(...problems.map((problem) => `- ${problem.side} ${code(problem.path)}: ${escapeMarkdownText(problem.message)}`), '');
  }
  return out.join('\n');
}

function describeBuild(info: PackageSide): string {
  return `${info.fingerprint ?? '(no fingerprint found)'}  [${formatLabel(info.format)}]`;
}

function limited(lines: string[]): string[] {
  if (lines.length <= TEXT_LIST_LIMIT) return lines;
  return [...lines.slice(0, TEXT_LIST_LIMIT), `  … and ${lines.length - TEXT_LIST_LIMIT} more (see --json, --md or --html)`];
}

export function cell(value: string | null): string {
  return value === null ? '—' : code(value).replace(/\|/g, '\\|');
}

/** An inline code span that holds any text: the fence is longer than any backtick run inside. */
export function code(text: string): string {
  const longestRun = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const padded = text.startsWith('`') || text.endsWith('`') || text === '' ? ` ${text} ` : text;
  return `${fence}${padded}${fence}`;
}

export function escapeMarkdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (char) => `\\${char}`);
}
