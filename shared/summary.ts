import { PACKAGE_FORMAT_LABELS } from './labels.js';
import type { ComparisonResult, PackageInfo, PropertyChange } from './model.js';

const TEXT_LIST_LIMIT = 12;

/** The short terminal summary `otalens compare` prints. Plain text, one fact per line. */
export function textSummary(result: ComparisonResult): string {
  const lines: string[] = [`OTA Lens: ${result.old.file} → ${result.new.file}`];
  lines.push(`  old  ${describeBuild(result.old)}`, `  new  ${describeBuild(result.new)}`, '');

  const { properties, files } = result;
  lines.push(`Properties (/system/build.prop): ${countPhrase(properties.changed.length, 'changed')}, ${countPhrase(properties.added.length, 'added')}, ${countPhrase(properties.removed.length, 'removed')}`);
  const propertyLines = [
    ...properties.changed.map((change) => `  ~ ${change.name}: ${change.old} → ${change.new}`),
    ...properties.added.map((change) => `  + ${change.name} = ${change.new}`),
    ...properties.removed.map((change) => `  - ${change.name} (was ${change.old})`),
  ];
  lines.push(...limited(propertyLines), '');

  lines.push(`Files: ${countPhrase(files.changed.length, 'changed')}, ${countPhrase(files.added.length, 'added')}, ${countPhrase(files.removed.length, 'removed')}`);
  const fileLines = [
    ...files.changed.map((path) => `  ~ ${path}`),
    ...files.added.map((path) => `  + ${path}`),
    ...files.removed.map((path) => `  - ${path}`),
  ];
  lines.push(...limited(fileLines));

  const problems = [...result.problems.old.map((p) => ({ side: 'old', ...p })), ...result.problems.new.map((p) => ({ side: 'new', ...p }))];
  if (problems.length > 0) {
    lines.push('', `Problems (${problems.length}; these parts were skipped, the rest was compared):`);
    lines.push(...limited(problems.map((problem) => `  ! ${problem.side} ${problem.path}: ${problem.message}`)));
  }
  return `${lines.join('\n')}\n`;
}

/** The same facts as Markdown (for `--md` and "copy summary"); firmware text always sits in code spans. */
export function markdownSummary(result: ComparisonResult): string {
  const out: string[] = [`# OTA Lens: ${code(result.old.file)} → ${code(result.new.file)}`, ''];
  out.push('| | Old build | New build |', '|---|---|---|');
  out.push(`| Fingerprint | ${cell(result.old.fingerprint)} | ${cell(result.new.fingerprint)} |`);
  out.push(`| Format | ${PACKAGE_FORMAT_LABELS[result.old.format]} | ${PACKAGE_FORMAT_LABELS[result.new.format]} |`);
  out.push(`| SHA-256 | ${cell(result.old.sha256)} | ${cell(result.new.sha256)} |`, '');

  const { properties, files } = result;
  out.push('## Properties (`/system/build.prop`)', '');
  const propertyRows = [
    ...properties.changed.map((change) => propertyRow('changed', change)),
    ...properties.added.map((change) => propertyRow('added', change)),
    ...properties.removed.map((change) => propertyRow('removed', change)),
  ];
  if (propertyRows.length === 0) out.push('No property changed.', '');
  else out.push('| Change | Property | Old | New |', '|---|---|---|---|', ...propertyRows, '');

  out.push('## Files', '');
  out.push(`${countPhrase(files.changed.length, 'changed')}, ${countPhrase(files.added.length, 'added')}, ${countPhrase(files.removed.length, 'removed')}.`, '');
  for (const [title, paths] of [['Changed', files.changed], ['Added', files.added], ['Removed', files.removed]] as const) {
    if (paths.length === 0) continue;
    out.push(`### ${title}`, '', ...paths.map((path) => `- ${code(path)}`), '');
  }

  const problems = [...result.problems.old.map((p) => ({ side: 'old', ...p })), ...result.problems.new.map((p) => ({ side: 'new', ...p }))];
  if (problems.length > 0) {
    out.push('## Problems', '', 'These parts could not be read and were skipped; the rest was compared.', '');
    out.push(...problems.map((problem) => `- ${problem.side} ${code(problem.path)}: ${escapeMarkdownText(problem.message)}`), '');
  }
  return out.join('\n');
}

function describeBuild(info: PackageInfo): string {
  return `${info.fingerprint ?? '(no fingerprint found)'}  [${PACKAGE_FORMAT_LABELS[info.format]}]`;
}

function countPhrase(count: number, what: string): string {
  return `${count} ${what}`;
}

function limited(lines: string[]): string[] {
  if (lines.length <= TEXT_LIST_LIMIT) return lines;
  return [...lines.slice(0, TEXT_LIST_LIMIT), `  … and ${lines.length - TEXT_LIST_LIMIT} more (see --json, --md or --html)`];
}

function propertyRow(kind: string, change: PropertyChange): string {
  return `| ${kind} | ${cell(change.name)} | ${cell(change.old)} | ${cell(change.new)} |`;
}

function cell(value: string | null): string {
  return value === null ? '—' : code(value).replace(/\|/g, '\\|');
}

/** An inline code span that holds any text: the fence is longer than any backtick run inside. */
function code(text: string): string {
  const longestRun = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const padded = text.startsWith('`') || text.endsWith('`') || text === '' ? ` ${text} ` : text;
  return `${fence}${padded}${fence}`;
}

function escapeMarkdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (char) => `\\${char}`);
}
