import { useMemo } from 'react';
import { ShowAllButton } from '../ShowAllButton.js';
import { useLimitedList } from '../useLimitedList.js';
import { sideBySide, type DiffCell } from './sideBySide.js';

/** Rows rendered before asking: a rewritten XML can run to tens of thousands of lines. */
const ROW_LIMIT = 2000;

const SIGNS: Record<DiffCell['kind'], string> = { context: ' ', removed: '−', added: '+' };

function Cells({ cell, side }: { cell: DiffCell | null; side: 'old' | 'new' }) {
  if (cell === null) {
    return (
      <>
        <td className="sbs-number" />
        <td className={`sbs-text sbs-empty sbs-${side}`} />
      </>
    );
  }
  return (
    <>
      <td className="sbs-number">{cell.number}</td>
      <td className={`sbs-text diff-${cell.kind} sbs-${side}`} data-kind={cell.kind}>
        <span className="sbs-sign">{SIGNS[cell.kind]}</span>
        {cell.kind !== 'context' && <span className="visually-hidden">{cell.kind === 'added' ? 'added: ' : 'removed: '}</span>}
        {cell.text}
      </td>
    </>
  );
}

/** A line diff as old and new columns, changed lines marked by sign, words for screen readers, and colour. */
export function SideBySideDiff({ patch, path }: { patch: string; path: string }) {
  const rows = useMemo(() => sideBySide(patch), [patch]);
  const { visible, hiddenCount, showAll } = useLimitedList(rows, ROW_LIMIT);
  return (
    <>
      <div className="table-scroll sbs-scroll" tabIndex={0} role="region" aria-label={`Side-by-side diff of ${path}`}>
        <table className="sbs-diff" data-testid="side-by-side" aria-label={`Line differences of ${path}`}>
          <colgroup>
            <col className="sbs-number-col" />
            <col />
            <col className="sbs-number-col" />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th scope="col" colSpan={2}>
                Old build
              </th>
              <th scope="col" colSpan={2}>
                New build
              </th>
            </tr>
          </thead>
          <tbody>
            {visible.map((row, index) =>
              row.kind === 'hunk' ? (
                <tr key={index} className="sbs-hunk">
                  <td colSpan={4}>{row.text}</td>
                </tr>
              ) : (
                <tr key={index} data-testid="sbs-row" data-changed={row.old?.kind !== 'context' || row.new?.kind !== 'context' ? 'true' : 'false'}>
                  <Cells cell={row.old} side="old" />
                  <Cells cell={row.new} side="new" />
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
      <ShowAllButton shown={visible.length} hiddenCount={hiddenCount} noun={['row', 'rows']} onShowAll={showAll} />
    </>
  );
}
