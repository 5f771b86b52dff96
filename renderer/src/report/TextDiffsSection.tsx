import { useMemo, useState } from 'react';
import type { TextDiff } from '../../../shared/appDiff.js';
import { classifyDiffLines, countDiffLines, type DiffLine } from '../text/unifiedDiff.js';
import { ReportSection } from './ReportSection.js';
import { ShowAllButton } from './ShowAllButton.js';
import { useLimitedList } from './useLimitedList.js';

/** Lines of one diff rendered before asking: a rewritten XML can run to tens of thousands. */
const DIFF_LINE_LIMIT = 2000;

const LINE_LABELS: Partial<Record<DiffLine['kind'], string>> = { added: 'added', removed: 'removed' };

function DiffBody({ lines }: { lines: readonly DiffLine[] }) {
  const { visible, hiddenCount, showAll } = useLimitedList(lines, DIFF_LINE_LIMIT);
  return (
    <>
      <pre className="diff" data-testid="text-diff-patch">
        {visible.map((line, index) => (
          // The +/− prefix stays in the text; the class only adds colour to it.
          <span key={index} className={`diff-line diff-${line.kind}`} data-kind={line.kind} title={LINE_LABELS[line.kind]}>
            {line.text}
            {'\n'}
          </span>
        ))}
      </pre>
      <ShowAllButton shown={visible.length} hiddenCount={hiddenCount} noun={['line', 'lines']} onShowAll={showAll} />
    </>
  );
}

function TextDiffItem({ diff }: { diff: TextDiff }) {
  // Rendered only once opened, so a report with many large diffs stays quick to open.
  const [opened, setOpened] = useState(false);
  const lines = useMemo(() => classifyDiffLines(diff.patch), [diff.patch]);
  const counts = countDiffLines(lines);
  return (
    <li>
      <details className="text-diff" data-testid="text-diff" data-path={diff.path} onToggle={(event) => event.currentTarget.open && setOpened(true)}>
        <summary>
          <span className="mono device-path" data-testid="text-diff-path">
            {diff.path}
          </span>{' '}
          <span className="diff-counts">
            <span aria-hidden="true" className="diff-count-added">+{counts.added.toLocaleString('en-US')}</span>{' '}
            <span aria-hidden="true" className="diff-count-removed">−{counts.removed.toLocaleString('en-US')}</span>
            <span className="visually-hidden">
              ({counts.added.toLocaleString('en-US')} lines added, {counts.removed.toLocaleString('en-US')} removed)
            </span>
          </span>
        </summary>
        {opened && <DiffBody lines={lines} />}
      </details>
    </li>
  );
}

/** Line diffs of changed text files and of changed apps' decoded manifests and preference XML. */
export function TextDiffsSection({ diffs }: { diffs: readonly TextDiff[] }) {
  const { visible, hiddenCount, showAll } = useLimitedList(diffs);
  return (
    <ReportSection
      id="text-diffs"
      title="Text differences"
      intro="Line by line, for changed text files and for the decoded manifest and preference XML of changed apps. Lines marked + are only in the new build, lines marked - only in the old build."
    >
      {diffs.length === 0 ? (
        <p className="empty">No text file changed.</p>
      ) : (
        <ul className="text-diff-list">
          {visible.map((diff) => (
            <TextDiffItem key={diff.path} diff={diff} />
          ))}
        </ul>
      )}
      <ShowAllButton shown={visible.length} hiddenCount={hiddenCount} noun={['file', 'files']} onShowAll={showAll} />
    </ReportSection>
  );
}
