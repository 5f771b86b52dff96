/** The timeline in words: the terminal text `otalens timeline` prints and the Markdown a journalist pastes. */
import { formatLabel } from './labels.js';
import { cell as markdownCell, code as markdownCode, escapeMarkdownText } from './summary.js';
import type { KeyTimelineCell, TimelineBuild, TimelineCell, TimelineResult } from './timeline.js';
import type { FeatureState } from './verdict.js';

/** Short words for a state in a table cell. */
export const TIMELINE_CELL_WORDS: Readonly<Record<FeatureState, string>> = {
  'default-on': 'on by default',
  'opt-in': 'opt-in',
  absent: 'not present',
  unknown: 'cannot tell',
};

export function cellWords(cell: TimelineCell): string {
  return TIMELINE_CELL_WORDS[cell.state] ?? cell.state;
}

export function keyCellWords(cell: KeyTimelineCell): string {
  const values = cell.found.length === 0 ? 'not set' : cell.found.map((value) => (value === null ? 'unresolved' : value === '' ? '(empty)' : value)).join(' / ');
  return `${values} (${cell.verdict})`;
}

function buildLine(build: TimelineBuild, index: number): string {
  return `${String(index + 1).padStart(3)}  ${build.label}  ${build.file}  ${build.fingerprint ?? '(no fingerprint found)'}${build.buildDate === null ? '' : `  built ${build.buildDate}`}`;
}

export function timelineText(result: TimelineResult): string {
  const lines = [`OTA Lens timeline: ${result.builds.length} builds, ${result.order === 'build-date' ? 'ordered by build date' : 'in the order given'}`];
  lines.push(...result.builds.map(buildLine));
  if (result.ruleFiles !== undefined) lines.push(`  Feature rules: built-in + ${result.ruleFiles.join(' + ')}`);
  lines.push('', 'Features:');
  for (const feature of result.features) {
    lines.push(`  ${feature.steps.length > 0 ? '~' : '·'} ${feature.summary}`);
    if (feature.steps.length > 0) lines.push(`      ${feature.cells.map((cell, index) => `${index + 1}: ${cellWords(cell)}`).join(' | ')}`);
  }
  if (result.keys.length > 0) {
    lines.push('', 'Claimed keys:');
    for (const key of result.keys) lines.push(`  ${key.steps.length > 0 ? '~' : '·'} ${key.summary}`);
  }
  const problems = result.problems.flatMap((list, index) => list.map((problem) => `  ! build ${index + 1} ${problem.path}: ${problem.message}`));
  if (problems.length > 0) lines.push('', `Problems (${problems.length}; these parts were skipped):`, ...problems.slice(0, 12), ...(problems.length > 12 ? [`  … and ${problems.length - 12} more (see --json or --md)`] : []));
  return `${lines.join('\n')}\n`;
}

export function timelineMarkdown(result: TimelineResult): string {
  const builds = result.builds;
  const header = `| | ${builds.map((build, index) => `${index + 1}: ${markdownCode(build.label)}`).join(' | ')} |`;
  const rule = `|---|${builds.map(() => '---').join('|')}|`;
  const out = [`# OTA Lens timeline: ${builds.length} builds`, '', `${result.order === 'build-date' ? 'Ordered by build date' : 'In the order given'}.${result.ruleFiles === undefined ? '' : ` Feature rules: the built-in ones and ${result.ruleFiles.map(markdownCode).join(', ')}.`}`, ''];
  out.push('## Builds', '', '| # | Build | Package | Fingerprint | Built | Format |', '|---|---|---|---|---|---|');
  builds.forEach((build, index) => out.push(`| ${index + 1} | ${markdownCell(build.label)} | ${markdownCell(build.file)} | ${markdownCell(build.fingerprint)} | ${markdownCell(build.buildDate)} | ${formatLabel(build.format)} |`));
  out.push('', '## Features', '');
  for (const feature of result.features) out.push(`- ${escapeMarkdownText(feature.summary)}`);
  out.push('', header, rule);
  for (const feature of result.features) out.push(`| ${escapeMarkdownText(feature.title)} | ${feature.cells.map(cellWords).join(' | ')} |`);
  if (result.keys.length > 0) {
    out.push('', '## Claimed keys', '');
    for (const key of result.keys) out.push(`- ${escapeMarkdownText(key.summary)}`);
    out.push('', header, rule);
    for (const key of result.keys) out.push(`| ${markdownCode(key.text)} | ${key.cells.map((cell) => escapeMarkdownText(keyCellWords(cell))).join(' | ')} |`);
  }
  out.push('', '## Evidence', '');
  for (const feature of result.features.filter((candidate) => candidate.steps.length > 0)) {
    out.push(`### ${escapeMarkdownText(feature.title)}`, '');
    feature.cells.forEach((cell, index) => {
      out.push(`Build ${index + 1} (${markdownCode(builds[index]?.label ?? '')}): ${cellWords(cell)}`, '');
      out.push(...cell.evidence.map((evidence) => `- ${markdownCode(`${evidence.path}${evidence.line === undefined ? '' : `:${evidence.line}`}`)}: ${escapeMarkdownText(evidence.detail)}`), '');
    });
  }
  const problems = result.problems.flatMap((list, index) => list.map((problem) => `- build ${index + 1} ${markdownCode(problem.path)}: ${escapeMarkdownText(problem.message)}`));
  if (problems.length > 0) out.push('## Problems', '', 'These parts could not be read and were skipped.', '', ...problems, '');
  return out.join('\n');
}
