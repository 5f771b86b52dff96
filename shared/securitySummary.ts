/** The security lines of the terminal and Markdown summaries: the serious findings, right after the verdicts. */
import type { ComparisonResult } from './model.js';
import type { SecurityEvidence, SecurityFinding, VbmetaFacts } from './security.js';
import { seriousFindings } from './securityDiff.js';

const LIMIT = 12;

function evidenceText(evidence: SecurityEvidence): string {
  return `${evidence.side}: ${evidence.path}${evidence.line === undefined ? '' : `:${evidence.line}`}`;
}

/** Where the finding's new-side evidence is (else its first), for one-line summaries. */
export function findingWhere(finding: SecurityFinding): SecurityEvidence | undefined {
  return finding.evidence.find((evidence) => evidence.side === 'new' && evidence.line !== undefined) ?? finding.evidence.find((evidence) => evidence.side === 'new') ?? finding.evidence[0];
}

/** A sentence per build whose only SELinux policy is a precompiled binary one, which is not read (so no finding can come from it). */
export function unreadPolicySentences(result: ComparisonResult): string[] {
  const selinux = result.security?.selinux;
  if (selinux === undefined) return [];
  return (['old', 'new'] as const).flatMap((side) => {
    const only = selinux[side]?.precompiledOnly ?? null;
    return only === null ? [] : [`The ${side} build's only SELinux policy is the precompiled binary ${only}, which OTA Lens does not read: its domains and rules are not compared.`];
  });
}

/** `otalens compare`'s security block: the serious findings with where each is, and how many others there are. */
export function securityTextLines(result: ComparisonResult): string[] {
  const security = result.security;
  if (security === undefined) return [];
  const serious = seriousFindings(security);
  const others = security.findings.length - serious.length;
  const unread = unreadPolicySentences(result).map((sentence) => `  · ${sentence}`);
  if (serious.length === 0) return ['', `Security: nothing that weakens the device${others > 0 ? ` (${others} other finding${others === 1 ? '' : 's'}: see --json, --md or --html)` : ''}.`, ...unread];
  const lines = ['', 'Security (most serious first):'];
  for (const finding of serious.slice(0, LIMIT)) {
    lines.push(`  ✘ ${finding.summary}`);
    const where = findingWhere(finding);
    if (where !== undefined) lines.push(`      ${evidenceText(where)}`);
  }
  if (serious.length > LIMIT) lines.push(`  … and ${serious.length - LIMIT} more serious findings (see --json, --md or --html)`);
  lines.push(...unread);
  if (others > 0) lines.push(`  and ${others} finding${others === 1 ? '' : 's'} worth a look or tightening (see --json, --md or --html)`);
  return lines;
}

/** The Markdown summary's Security section; `code` and `escape` are the summary's own helpers for firmware text. */
export function securityMarkdown(result: ComparisonResult, code: (text: string) => string, escape: (text: string) => string): string[] {
  const security = result.security;
  if (security === undefined) return [];
  const serious = seriousFindings(security);
  const notable = security.findings.filter((finding) => finding.severity === 'notable');
  const out = ['## Security', ''];
  if (serious.length === 0) out.push('Nothing that weakens the device: no new setuid files or capabilities, no newly permissive domain, no weaker build or AVB flags, no new root service.', '');
  for (const finding of serious) {
    const where = findingWhere(finding);
    out.push(`- **${escape(finding.summary)}**${where === undefined ? '' : ` (${code(`${where.path}${where.line === undefined ? '' : `:${where.line}`}`)})`}`);
  }
  if (serious.length > 0) out.push('');
  const unread = unreadPolicySentences(result);
  if (unread.length > 0) out.push(...unread.map((sentence) => `- ${escape(sentence)}`), '');
  if (notable.length > 0) {
    out.push('Worth a look:', '');
    for (const finding of notable) out.push(`- ${escape(finding.summary)}`);
    out.push('');
  }
  return out;
}

/** `flags 0x3 (verification disabled, hashtree disabled)`: a vbmeta header's flags in words. */
export function describeVbmeta(image: VbmetaFacts): string {
  const disabled = [image.verificationDisabled ? 'verification disabled' : '', image.hashtreeDisabled ? 'hashtree disabled' : ''].filter((word) => word !== '');
  return `flags 0x${image.flags.toString(16)}${disabled.length === 0 ? '' : ` (${disabled.join(', ')})`}`;
}
