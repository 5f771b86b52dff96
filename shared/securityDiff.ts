/**
 * Did the update weaken the device? Compares two builds' file metadata (setuid/setgid,
 * capabilities, world-writable entries, executables' owners, modes and labels), SELinux policy,
 * init services, build flags and AVB flags, and lists what matters most first, with evidence.
 */
import { capabilitiesText, octalMode, ownerText, permissionLetters } from './fileModes.js';
import type { InitService, LayeredProperty } from './inventory.js';
import type { FileEntry, FileMetadata } from './model.js';
import type {
  BuildFlag,
  DomainRuleChange,
  SecurityDiff,
  SecurityEvidence,
  SecurityFinding,
  SecurityFindingKind,
  SecurityInventory,
  SelinuxPolicy,
  SelinuxPolicySummary,
  SelinuxRule,
  ServiceChange,
  ServiceFacts,
  SourceLine,
  VbmetaFacts,
} from './security.js';
import { compareStrings } from './sort.js';

/** What the diff reads of one build: its inventory's files, services, properties and security facts. */
export interface SecuritySide {
  files: readonly FileEntry[];
  initServices: readonly InitService[];
  properties: readonly LayeredProperty[];
  security?: SecurityInventory | undefined;
}

const KIND_ORDER: readonly SecurityFindingKind[] = [
  'setuid-added',
  'domain-permissive',
  'capabilities-gained',
  'build-flag',
  'avb-disabled',
  'root-service',
  'untrusted-app-rule',
  'world-writable',
  'domain-added',
  'service-changed',
  'executable-changed',
  'domain-rules',
  'setuid-removed',
  'capabilities-lost',
  'domain-enforcing',
  'service-removed',
  'domain-removed',
];
const SEVERITY_ORDER: readonly SecurityFinding['severity'][] = ['serious', 'notable', 'info'];
const SETUID_BITS = 0o6000;
const SETGID = 0o2000;
const WORLD_WRITABLE = 0o002;
const STICKY = 0o1000;
const ANY_EXECUTE = 0o111;
/** Folders whose programs run as what starts them, system daemons and shell alike. */
const BINARY_FOLDERS = /^\/(?:system|vendor|system_ext|product|odm)\/(?:bin|xbin)\//;
const ROOT = 'root';

/** The security flags of a build and how each weakens it: `weak(value)` is true when the value lowers the build's guard. */
const FLAGS: readonly { name: string; weak: (value: string | null) => boolean; words: string }[] = [
  { name: 'ro.build.type', weak: (value) => value === 'userdebug' || value === 'eng', words: 'a userdebug or eng build (root shells, debugging)' },
  { name: 'ro.build.tags', weak: (value) => value !== null && /\b(?:test|dev)-keys\b/.test(value), words: 'signed with test or dev keys' },
  { name: 'ro.debuggable', weak: (value) => value === '1', words: 'debuggable (every app can be debugged, adb root works)' },
  { name: 'ro.secure', weak: (value) => value === '0', words: 'not secure (adbd runs as root)' },
  { name: 'ro.adb.secure', weak: (value) => value !== '1', words: 'adb without the key confirmation' },
  { name: 'ro.boot.verifiedbootstate', weak: (value) => value !== null && value !== 'green', words: 'verified boot not green' },
];
/** Flags that are normal when absent: only their presence with a weak value counts. */
const WEAK_ONLY_WHEN_SET = new Set(['ro.boot.verifiedbootstate', 'ro.build.type', 'ro.build.tags', 'ro.debuggable', 'ro.secure']);

export function diffSecurity(before: SecuritySide, after: SecuritySide): SecurityDiff {
  const findings: SecurityFinding[] = [];
  const metadataChanges = fileFindings(before, after, findings);
  const buildFlags = flagFindings(before.properties, after.properties, findings);
  const services = serviceFindings(before.initServices, after.initServices, findings);
  const ruleChanges = selinuxFindings(before.security?.selinux ?? null, after.security?.selinux ?? null, findings);
  const vbmeta = { old: before.security?.vbmeta ?? [], new: after.security?.vbmeta ?? [] };
  avbFindings(vbmeta.old, vbmeta.new, findings);
  findings.sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || compareStrings(a.subject, b.subject),
  );
  return {
    findings,
    buildFlags,
    services,
    selinux: { old: policySummary(before.security?.selinux ?? null), new: policySummary(after.security?.selinux ?? null), ruleChanges },
    vbmeta,
    metadataChanges,
  };
}

/** The serious findings, for the summaries that lead with them. */
export function seriousFindings(diff: SecurityDiff | undefined): SecurityFinding[] {
  return (diff?.findings ?? []).filter((finding) => finding.severity === 'serious');
}

// ---- files ------------------------------------------------------------------------------------

function fileFindings(before: SecuritySide, after: SecuritySide, findings: SecurityFinding[]): number {
  const old = new Map(before.files.map((entry) => [entry.path, entry]));
  const serviceBinaries = new Set(after.initServices.map((service) => serviceExecutable(service.command)));
  let changed = 0;
  for (const entry of after.files) {
    const metadata = entry.metadata;
    if (metadata === undefined || entry.type === 'symlink') continue;
    const previous = old.get(entry.path);
    const was = previous?.metadata;
    if (was !== undefined && !sameMetadata(was, metadata)) changed += 1;
    const evidence = (): SecurityEvidence[] => [...(previous === undefined || was === undefined ? [] : fileEvidence('old', previous.path, was, 'mode')), ...fileEvidence('new', entry.path, metadata, 'mode')];
    const special = specialBits(metadata.mode);
    const wasSpecial = specialBits(was?.mode ?? null);
    if (entry.type === 'file' && special !== '' && special !== wasSpecial) {
      const how = previous === undefined ? 'a file the old build does not have' : wasSpecial === '' ? `it was ${octalMode(was?.mode ?? null)} before` : `it was ${wasSpecial} before`;
      findings.push(finding('setuid-added', 'serious', entry.path, `${entry.path} is now ${special} (${octalMode(metadata.mode)}, owner ${ownerText(metadata)}): whoever runs it gets ${special === 'setgid' ? 'its group' : 'its owner'}'s rights (${how}).`, evidence()));
    }
    const gained = newCapabilities(was?.capabilities ?? null, metadata.capabilities);
    if (entry.type === 'file' && gained.length > 0) {
      const how = previous === undefined ? 'a file the old build does not have' : was?.capabilities === null || was?.capabilities === undefined ? 'none before' : `before: ${capabilitiesText(was.capabilities)}`;
      findings.push(finding('capabilities-gained', 'serious', entry.path, `${entry.path} now gives whoever runs it ${gained.join(', ')} (${capabilitiesText(metadata.capabilities as NonNullable<FileMetadata['capabilities']>)}; ${how}).`, evidenceOf(entry, previous, 'capabilities')));
    }
    if (worldWritable(entry.type, metadata.mode) && !worldWritable(entry.type, was?.mode ?? null)) {
      const sticky = entry.type === 'directory' && ((metadata.mode ?? 0) & STICKY) !== 0;
      findings.push(
        finding(
          'world-writable',
          sticky ? 'notable' : 'serious',
          entry.path,
          `${entry.path} is writable by every user and app (${octalMode(metadata.mode)}, ${permissionLetters(metadata.mode)})${sticky ? ', sticky: each may only remove its own entries' : ''}${previous === undefined ? '; it is new' : ''}.`,
          evidence(),
        ),
      );
    }
    if (previous !== undefined && was !== undefined && (entry.type === 'file' || entry.type === 'directory') && guarded(entry, was, serviceBinaries)) {
      const differences = ownershipDifferences(was, metadata);
      if (differences.length > 0) {
        const why = serviceBinaries.has(entry.path) ? 'started by an init service' : BINARY_FOLDERS.test(entry.path) ? 'a system program' : 'executable';
        findings.push(finding('executable-changed', 'notable', entry.path, `${entry.path} (${why}): ${differences.join('; ')}.`, evidenceOf(entry, previous, differences.length === 1 && differences[0]?.startsWith('label') === true ? 'selinuxLabel' : 'mode')));
      }
    }
  }
  const current = new Map(after.files.map((entry) => [entry.path, entry]));
  for (const entry of before.files) {
    const metadata = entry.metadata;
    if (metadata === undefined || entry.type !== 'file') continue;
    const now = current.get(entry.path);
    const special = specialBits(metadata.mode);
    if (special !== '' && specialBits(now?.metadata?.mode ?? null) === '' && (now === undefined || now.metadata !== undefined)) {
      findings.push(finding('setuid-removed', 'info', entry.path, `${entry.path} is no longer ${special}${now === undefined ? ' (the new build does not have it)' : ''}.`, evidenceOf(now ?? null, entry, 'mode')));
    }
    const lost = newCapabilities(now?.metadata?.capabilities ?? null, metadata.capabilities);
    if (lost.length > 0 && (now === undefined || now.metadata !== undefined)) {
      findings.push(finding('capabilities-lost', 'info', entry.path, `${entry.path} no longer gives ${lost.join(', ')}${now === undefined ? ' (the new build does not have it)' : ''}.`, evidenceOf(now ?? null, entry, 'capabilities')));
    }
  }
  return changed;
}

/** Executables, what the binary folders hold (and the folders themselves), and what init services start: whose owner, mode or label changes matter. */
function guarded(entry: FileEntry, was: FileMetadata, serviceBinaries: ReadonlySet<string>): boolean {
  if (serviceBinaries.has(entry.path) || BINARY_FOLDERS.test(entry.path) || BINARY_FOLDERS.test(`${entry.path}/`)) return true;
  const executable = (mode: number | null): boolean => mode !== null && (mode & ANY_EXECUTE) !== 0;
  return entry.type === 'file' && (executable(entry.metadata?.mode ?? null) || executable(was.mode));
}

/** Changes of owner, group, label and plain mode bits (setuid and capabilities have findings of their own). */
function ownershipDifferences(was: FileMetadata, now: FileMetadata): string[] {
  const differences: string[] = [];
  if (was.uid !== now.uid || was.gid !== now.gid) differences.push(`owner ${ownerText(was)} → ${ownerText(now)}`);
  const plain = (mode: number | null): number | null => (mode === null ? null : mode & ~SETUID_BITS);
  if (plain(was.mode) !== plain(now.mode)) differences.push(`mode ${octalMode(was.mode)} → ${octalMode(now.mode)}`);
  if (was.selinuxLabel !== now.selinuxLabel) differences.push(`label ${was.selinuxLabel ?? '(none)'} → ${now.selinuxLabel ?? '(none)'}`);
  return differences;
}

function sameMetadata(a: FileMetadata, b: FileMetadata): boolean {
  const caps = (metadata: FileMetadata): string => (metadata.capabilities === null ? '' : capabilitiesText(metadata.capabilities));
  return a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && a.selinuxLabel === b.selinuxLabel && caps(a) === caps(b);
}

function specialBits(mode: number | null): '' | 'setuid' | 'setgid' | 'setuid and setgid' {
  if (mode === null) return '';
  const setuid = (mode & 0o4000) !== 0;
  const setgid = (mode & SETGID) !== 0;
  return setuid && setgid ? 'setuid and setgid' : setuid ? 'setuid' : setgid ? 'setgid' : '';
}

/** Files and folders everyone may write (device nodes such as /dev/null are 0666 by design; links have no mode of their own). */
function worldWritable(type: FileEntry['type'], mode: number | null): boolean {
  return (type === 'file' || type === 'directory') && mode !== null && (mode & WORLD_WRITABLE) !== 0;
}

function newCapabilities(before: FileMetadata['capabilities'], after: FileMetadata['capabilities']): string[] {
  const had = new Set(before?.permitted ?? []);
  return (after?.permitted ?? []).filter((name) => !had.has(name));
}

/** The entry on each side where it exists, and the updater-script line that set the field, for a file OTA. */
function evidenceOf(now: FileEntry | null, previous: FileEntry | null | undefined, field: 'mode' | 'capabilities' | 'selinuxLabel'): SecurityEvidence[] {
  return [
    ...(previous?.metadata === undefined || previous === null ? [] : fileEvidence('old', previous.path, previous.metadata, field)),
    ...(now?.metadata === undefined || now === null ? [] : fileEvidence('new', now.path, now.metadata, field)),
  ];
}

function fileEvidence(side: 'old' | 'new', path: string, metadata: FileMetadata, field: 'mode' | 'capabilities' | 'selinuxLabel'): SecurityEvidence[] {
  const detail = `${octalMode(metadata.mode)} ${permissionLetters(metadata.mode)}, owner ${ownerText(metadata)}, label ${metadata.selinuxLabel ?? '(none)'}${metadata.capabilities === null ? '' : `, capabilities ${capabilitiesText(metadata.capabilities)}`}`;
  const evidence: SecurityEvidence[] = [{ side, path, detail }];
  const line = metadata.setBy?.[field];
  if (metadata.setBy !== undefined && line !== undefined) evidence.push({ side, path: metadata.setBy.file, line, detail: `sets ${field === 'selinuxLabel' ? 'the label' : field} of ${path}` });
  return evidence;
}

// ---- build flags ------------------------------------------------------------------------------

function flagFindings(before: readonly LayeredProperty[], after: readonly LayeredProperty[], findings: SecurityFinding[]): BuildFlag[] {
  const old = new Map(before.map((property) => [property.name, property]));
  const current = new Map(after.map((property) => [property.name, property]));
  const flags: BuildFlag[] = [];
  for (const { name, weak, words } of FLAGS) {
    const was = old.get(name) ?? null;
    const now = current.get(name) ?? null;
    if (was === null && now === null) continue;
    const flag: BuildFlag = { name, old: was?.value ?? null, new: now?.value ?? null, oldAt: where(was), newAt: where(now) };
    flags.push(flag);
    const isWeak = (value: string | null): boolean => (value === null && WEAK_ONLY_WHEN_SET.has(name) ? false : weak(value));
    const evidence: SecurityEvidence[] = [
      ...(flag.oldAt === null ? [] : [{ side: 'old' as const, path: flag.oldAt.path, line: flag.oldAt.line, detail: `${name}=${flag.old}` }]),
      ...(flag.newAt === null ? [] : [{ side: 'new' as const, path: flag.newAt.path, line: flag.newAt.line, detail: `${name}=${flag.new}` }]),
    ];
    const shown = (value: string | null): string => (value === null ? '(not set)' : value);
    if (isWeak(flag.new) && !isWeak(flag.old)) {
      findings.push(finding('build-flag', 'serious', name, `${name} is ${shown(flag.new)} (was ${shown(flag.old)}): the new build is ${words}.`, evidence));
    } else if (isWeak(flag.new)) {
      findings.push(finding('build-flag', 'notable', name, `${name} is ${shown(flag.new)} in both builds: ${words}.`, evidence));
    } else if (isWeak(flag.old)) {
      findings.push(finding('build-flag', 'info', name, `${name} is ${shown(flag.new)} (was ${shown(flag.old)}): the old build was ${words}, the new one is not.`, evidence));
    }
  }
  return flags;
}

function where(property: LayeredProperty | null): SourceLine | null {
  if (property === null) return null;
  const layer = property.layers.findLast((candidate) => candidate.layer === property.layer) ?? property.layers.at(-1);
  return layer === undefined ? null : { path: layer.layer, line: layer.line };
}

// ---- services ---------------------------------------------------------------------------------

/** The executable of a service command (its first word). */
export function serviceExecutable(command: string): string {
  return command.split(' ')[0] ?? command;
}

/** A service's user, groups, capabilities, seclabel and classes from its option lines (system/core/init/README.md). */
export function serviceFacts(service: InitService): ServiceFacts {
  const facts: ServiceFacts = { name: service.name, executable: serviceExecutable(service.command), user: ROOT, groups: [], capabilities: [], seclabel: null, classes: [], at: { path: service.file, line: service.line } };
  for (const option of service.options) {
    const [keyword, ...words] = option.split(' ');
    if (keyword === 'user' && words[0] !== undefined) facts.user = words[0];
    else if (keyword === 'group') facts.groups = words;
    else if (keyword === 'capabilities') facts.capabilities = words;
    else if (keyword === 'seclabel' && words[0] !== undefined) facts.seclabel = words[0];
    else if (keyword === 'class') facts.classes = words;
  }
  return facts;
}

function serviceFindings(before: readonly InitService[], after: readonly InitService[], findings: SecurityFinding[]): ServiceChange[] {
  const old = new Map(before.map((service) => [service.name, serviceFacts(service)]));
  const current = new Map(after.map((service) => [service.name, serviceFacts(service)]));
  const changes: ServiceChange[] = [];
  const evidenceOfService = (side: 'old' | 'new', facts: ServiceFacts): SecurityEvidence => ({ side, path: facts.at.path, line: facts.at.line, detail: describeService(facts) });
  for (const [name, now] of current) {
    const was = old.get(name) ?? null;
    if (was !== null && sameService(was, now)) continue;
    changes.push({ name, old: was, new: now });
    const evidence = [...(was === null ? [] : [evidenceOfService('old', was)]), evidenceOfService('new', now)];
    if (now.user === ROOT && (was === null || was.user !== ROOT)) {
      findings.push(finding('root-service', 'serious', name, was === null ? `New init service ${name} runs ${now.executable} as root${now.capabilities.length > 0 ? ` with ${now.capabilities.join(', ')}` : ''}.` : `Init service ${name} now runs as root (was ${was.user}).`, evidence));
    } else if (was !== null) {
      findings.push(finding('service-changed', 'notable', name, `Init service ${name}: ${serviceDifferences(was, now).join('; ')}.`, evidence));
    }
  }
  for (const [name, was] of old) {
    if (current.has(name)) continue;
    changes.push({ name, old: was, new: null });
    findings.push(finding('service-removed', 'info', name, `Init service ${name} (${was.executable}, as ${was.user}) is gone.`, [evidenceOfService('old', was)]));
  }
  // New root services first, then other new ones, changed ones, and removed ones; by name within each.
  const rank = (change: ServiceChange): number => (change.old === null ? (change.new?.user === ROOT ? 0 : 1) : change.new === null ? 3 : 2);
  return changes.sort((a, b) => rank(a) - rank(b) || compareStrings(a.name, b.name));
}

function sameService(a: ServiceFacts, b: ServiceFacts): boolean {
  return serviceDifferences(a, b).length === 0;
}

function serviceDifferences(was: ServiceFacts, now: ServiceFacts): string[] {
  const list = (items: readonly string[]): string => (items.length === 0 ? '(none)' : items.join(' '));
  const differences: string[] = [];
  if (was.user !== now.user) differences.push(`user ${was.user} → ${now.user}`);
  if (list(was.groups) !== list(now.groups)) differences.push(`groups ${list(was.groups)} → ${list(now.groups)}`);
  if (list(was.capabilities) !== list(now.capabilities)) differences.push(`capabilities ${list(was.capabilities)} → ${list(now.capabilities)}`);
  if (was.seclabel !== now.seclabel) differences.push(`seclabel ${was.seclabel ?? '(none)'} → ${now.seclabel ?? '(none)'}`);
  if (list(was.classes) !== list(now.classes)) differences.push(`class ${list(was.classes)} → ${list(now.classes)}`);
  return differences;
}

function describeService(facts: ServiceFacts): string {
  const parts = [`${facts.executable} as ${facts.user}`];
  if (facts.groups.length > 0) parts.push(`groups ${facts.groups.join(' ')}`);
  if (facts.capabilities.length > 0) parts.push(`capabilities ${facts.capabilities.join(' ')}`);
  if (facts.seclabel !== null) parts.push(`seclabel ${facts.seclabel}`);
  if (facts.classes.length > 0) parts.push(`class ${facts.classes.join(' ')}`);
  return parts.join(', ');
}

// ---- SELinux ----------------------------------------------------------------------------------

function selinuxFindings(before: SelinuxPolicy | null, after: SelinuxPolicy | null, findings: SecurityFinding[]): DomainRuleChange[] {
  if (after === null || after.files.length === 0) return [];
  const old = new Map((before?.domains ?? []).map((domain) => [domain.name, domain]));
  const current = new Map(after.domains.map((domain) => [domain.name, domain]));
  const comparable = before !== null && before.files.length > 0;
  const changes: DomainRuleChange[] = [];
  for (const domain of after.domains) {
    const was = old.get(domain.name);
    if (domain.permissive !== null && (was === undefined || was.permissive === null)) {
      findings.push(
        finding('domain-permissive', 'serious', domain.name, `SELinux domain ${domain.name} is now permissive: the kernel only logs what it would deny it${was === undefined ? ' (a new domain)' : ''}.`, [
          { side: 'new', path: domain.permissive.path, line: domain.permissive.line, detail: `(typepermissive ${domain.name})` },
        ]),
      );
    } else if (domain.permissive !== null) {
      findings.push(finding('domain-permissive', 'notable', domain.name, `SELinux domain ${domain.name} is permissive in both builds.`, [{ side: 'new', path: domain.permissive.path, line: domain.permissive.line, detail: `(typepermissive ${domain.name})` }]));
    }
    if (!comparable) continue;
    if (was === undefined) {
      changes.push({ domain: domain.name, old: null, new: domain.allowRules });
      findings.push(finding('domain-added', 'notable', domain.name, `New SELinux domain ${domain.name} with ${domain.allowRules} allow rules.`, domain.definedAt === null ? [] : [{ side: 'new', path: domain.definedAt.path, line: domain.definedAt.line, detail: `(type ${domain.name})` }]));
    } else if (was.allowRules !== domain.allowRules) {
      changes.push({ domain: domain.name, old: was.allowRules, new: domain.allowRules });
    }
    if (was !== undefined && was.permissive !== null && domain.permissive === null) {
      findings.push(finding('domain-enforcing', 'info', domain.name, `SELinux domain ${domain.name} is enforced now (it was permissive).`, [{ side: 'old', path: was.permissive.path, line: was.permissive.line, detail: `(typepermissive ${domain.name})` }]));
    }
  }
  if (!comparable) return changes;
  for (const [name, was] of old) {
    if (current.has(name)) continue;
    changes.push({ domain: name, old: was.allowRules, new: null });
    findings.push(finding('domain-removed', 'info', name, `SELinux domain ${name} is gone.`, was.definedAt === null ? [] : [{ side: 'old', path: was.definedAt.path, line: was.definedAt.line, detail: `(type ${name})` }]));
  }
  changes.sort((a, b) => compareStrings(a.domain, b.domain));
  const growth = (change: DomainRuleChange): number => (change.new ?? 0) - (change.old ?? 0);
  const grown = changes.filter((change) => change.old !== null && change.new !== null && growth(change) > 0);
  if (grown.length > 0) {
    const biggest = [...grown].sort((a, b) => growth(b) - growth(a) || compareStrings(a.domain, b.domain)).slice(0, 5);
    const shrunk = changes.filter((change) => change.old !== null && change.new !== null && growth(change) < 0).length;
    findings.push(
      finding(
        'domain-rules',
        'notable',
        'allow rules',
        `${grown.length} SELinux domain${grown.length === 1 ? ' has' : 's have'} more allow rules${shrunk > 0 ? `, ${shrunk} fewer` : ''}: ${biggest.map((change) => `${change.domain} ${change.old} → ${change.new}`).join(', ')}${grown.length > biggest.length ? ', …' : ''}.`,
        [],
      ),
    );
  }
  untrustedAppFindings(before?.untrustedAppRules ?? [], after.untrustedAppRules, findings);
  return changes;
}

function untrustedAppFindings(before: readonly SelinuxRule[], after: readonly SelinuxRule[], findings: SecurityFinding[]): void {
  const key = (rule: SelinuxRule): string => `${rule.source} ${rule.target}:${rule.class}`;
  const old = new Map(before.map((rule) => [key(rule), rule]));
  for (const rule of after) {
    const was = old.get(key(rule));
    const had = new Set(was?.permissions ?? []);
    const added = rule.permissions.filter((permission) => !had.has(permission));
    if (added.length === 0) continue;
    const fromApp = rule.fromUntrustedApp;
    const text = `allow ${rule.source} ${rule.target}:${rule.class} { ${added.join(' ')} }`;
    findings.push(
      finding(
        'untrusted-app-rule',
        fromApp ? 'serious' : 'notable',
        key(rule),
        fromApp ? `Installed apps (untrusted_app) gain ${text}${was === undefined ? '' : ' (added to an existing rule)'}.` : `A rule lets ${rule.source} act on installed apps: ${text}.`,
        [{ side: 'new', path: rule.at.path, line: rule.at.line, detail: text }],
      ),
    );
  }
}

function policySummary(policy: SelinuxPolicy | null): SelinuxPolicySummary | null {
  if (policy === null) return null;
  return { files: policy.files, precompiledOnly: policy.precompiledOnly, domains: policy.domains.length, permissive: policy.domains.filter((domain) => domain.permissive !== null).map((domain) => domain.name) };
}

// ---- AVB --------------------------------------------------------------------------------------

function avbFindings(before: readonly VbmetaFacts[], after: readonly VbmetaFacts[], findings: SecurityFinding[]): void {
  const old = new Map(before.map((image) => [image.partition, image]));
  for (const image of after) {
    const was = old.get(image.partition);
    for (const [flag, words] of [
      ['verificationDisabled', 'verification disabled: nothing it describes is checked at boot'],
      ['hashtreeDisabled', 'hashtree disabled: dm-verity does not check the partitions it covers'],
    ] as const) {
      if (!image[flag]) continue;
      const evidence: SecurityEvidence[] = [{ side: 'new', path: `/${image.partition}`, detail: `vbmeta header flags 0x${image.flags.toString(16)}` }];
      if (was !== undefined) evidence.unshift({ side: 'old', path: `/${image.partition}`, detail: `vbmeta header flags 0x${was.flags.toString(16)}` });
      const already = was?.[flag] === true;
      findings.push(finding('avb-disabled', already ? 'notable' : 'serious', image.partition, `${image.partition} has AVB ${words}${already ? ', as in the old build' : ''}.`, evidence));
    }
  }
}

function finding(kind: SecurityFindingKind, severity: SecurityFinding['severity'], subject: string, summary: string, evidence: SecurityEvidence[]): SecurityFinding {
  return { kind, severity, subject, summary, evidence };
}
