import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TextDiff } from '../../../../shared/appDiff.js';
import { describeFileType } from '../../../../shared/fileTypes.js';
import type { FileChange, FileDiff } from '../../../../shared/model.js';
import { countOf, formatBytes, formatExactBytes } from '../../text/format.js';
import { ReportSection } from '../ReportSection.js';
import { fileHash } from '../views/inspectorViews.js';
import { buildChangeTree, initiallyExpanded, nodePaths, visibleRows, type ChangeCounts, type ChangeNode, type NodeKind, type TreeRow } from './changeTree.js';
import { useFileTextReader } from './fileTextReader.js';
import { SideBySideDiff } from './SideBySideDiff.js';
import { VirtualList } from './VirtualList.js';

const ROW_HEIGHT = 30;
const VIEW_HEIGHT = 420;

const KIND_MARKS: Record<NodeKind, { sign: string; word: string }> = {
  added: { sign: '+', word: 'added' },
  removed: { sign: '−', word: 'removed' },
  changed: { sign: '~', word: 'changed' },
  unchanged: { sign: '', word: 'unchanged' },
};

function countsText(counts: ChangeCounts): string {
  const parts = (['changed', 'added', 'removed'] as const).filter((kind) => counts[kind] > 0).map((kind) => `${counts[kind].toLocaleString('en-US')} ${kind}`);
  return parts.join(', ');
}

function RowLabel({ node }: { node: ChangeNode }) {
  const folder = node.children.length > 0;
  return (
    <>
      {node.kind !== null ? (
        <span className={`tree-mark kind-${node.kind}`} aria-hidden="true">
          {KIND_MARKS[node.kind].sign}
        </span>
      ) : (
        <span className="tree-mark" aria-hidden="true" />
      )}
      <span className="tree-name mono">{node.name}</span>
      {node.kind !== null && <span className="visually-hidden"> ({KIND_MARKS[node.kind].word})</span>}
      {folder && (
        <span className="tree-counts" data-testid="tree-counts">
          {(['changed', 'added', 'removed'] as const).map((kind) =>
            node.counts[kind] > 0 ? (
              <span key={kind} className={`tree-count kind-${kind}`}>
                {KIND_MARKS[kind].sign}
                {node.counts[kind].toLocaleString('en-US')}
              </span>
            ) : null,
          )}
          <span className="visually-hidden">{countsText(node.counts)}</span>
        </span>
      )}
    </>
  );
}

function Size({ bytes }: { bytes: number | null }) {
  return bytes === null ? <span className="value-missing">—</span> : <span title={formatExactBytes(bytes)}>{formatBytes(bytes)}</span>;
}

/** `size 12 KB` on one side, or what the entry is there when it is not a regular file (a symbolic link, a device node…). */
function SideSize({ file, side }: { file: FileChange; side: 'old' | 'new' }) {
  const type = side === 'old' ? file.oldType : file.newType;
  if (type !== undefined) {
    return <span data-testid={`file-kind-${side}`}>{describeFileType(type, side === 'old' ? file.oldDevice : file.newDevice)}</span>;
  }
  return (
    <>
      size <Size bytes={side === 'old' ? file.oldSize : file.newSize} />
    </>
  );
}

/** In the window: read the file's whole text from either package again (decoded when binary XML). */
function ReadTextButtons({ node }: { node: ChangeNode }) {
  const reader = useFileTextReader();
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setMessage(null), [node]);
  if (reader === null || node.children.length > 0) return null;
  const sides = (['old', 'new'] as const).filter((side) => (side === 'old' ? node.kind !== 'added' : node.kind !== 'removed'));
  const read = async (side: 'old' | 'new') => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage(await reader(side, node.path));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="read-text">
      {sides.map((side) => (
        <button key={side} type="button" disabled={busy} onClick={() => void read(side)} data-testid={`read-text-${side}`}>
          Read the {side} build’s text
        </button>
      ))}
      {busy && <span role="status"> Reading…</span>}
      {message !== null && (
        <p className="notice-inline" role="alert" data-testid="read-text-error">
          {message}
        </p>
      )}
    </div>
  );
}

function FileDetail({ node, diff }: { node: ChangeNode; diff: TextDiff | undefined }) {
  return (
    <div className="file-detail" data-testid="file-detail" data-path={node.path}>
      <h3 className="mono device-path">{node.path}</h3>
      <ReadTextButtons node={node} />
      {node.kind !== null && (
        <p>
          <span className={`tree-mark kind-${node.kind}`} aria-hidden="true">
            {KIND_MARKS[node.kind].sign}
          </span>{' '}
          {node.kind[0]?.toUpperCase()}
          {node.kind.slice(1)}
          {node.file !== null &&
            (node.kind === 'unchanged' ? (
              <>
                {' · '}the same in both builds · <SideSize file={node.file} side="new" />
              </>
            ) : (
              <>
                {' · '}
                <SideSize file={node.file} side="old" /> → <SideSize file={node.file} side="new" />
              </>
            ))}
        </p>
      )}
      {node.file !== null && (node.file.oldSha256 !== null || node.file.newSha256 !== null) && (
        <dl className="file-hashes" data-testid="file-hashes">
          {node.kind === 'unchanged' ? (
            <>
              <dt>SHA-256, both builds</dt>
              <dd className="mono hash">{node.file.newSha256}</dd>
            </>
          ) : (
            <>
              <dt>SHA-256, old build</dt>
              <dd className="mono hash">{node.file.oldSha256 ?? '—'}</dd>
              <dt>SHA-256, new build</dt>
              <dd className="mono hash">{node.file.newSha256 ?? '—'}</dd>
            </>
          )}
        </dl>
      )}
      {node.kind === 'unchanged' ? (
        <p className="empty" data-testid="file-unchanged">
          Both builds have this file byte for byte; there is nothing to compare.
        </p>
      ) : diff !== undefined ? (
        <SideBySideDiff key={diff.path} patch={diff.patch} path={diff.path} />
      ) : node.children.length > 0 ? (
        <p className="empty">{countsText(node.counts) || 'Changed members inside'}: open it in the tree to see them.</p>
      ) : node.file !== null && (node.file.oldType !== undefined || node.file.newType !== undefined) ? (
        <p className="empty" data-testid="file-no-content">
          Not a regular file on {node.file.oldType !== undefined && node.file.newType !== undefined ? 'either side' : 'one side'}: what it is (above) is all there is to compare.
        </p>
      ) : (
        <p className="empty" data-testid="file-no-diff">
          No line diff: the file is binary, or not a text or XML file OTA Lens decodes. Its size and hashes are shown above.
        </p>
      )}
    </div>
  );
}

interface FileBrowserSectionProps {
  files: FileDiff;
  textDiffs: readonly TextDiff[];
  /** A file the address names (`#/files/PATH`): opened, with its folders, whenever the address changes. */
  openPath?: string | undefined;
  /** Counts address changes, so naming the same file again opens it again. */
  navigated?: number;
}

function findNode(root: ChangeNode, devicePath: string): ChangeNode | null {
  let node: ChangeNode | undefined = root;
  for (const path of nodePaths(devicePath)) {
    node = node.children.find((child) => child.path === path);
    if (node === undefined) return null;
  }
  return node;
}

/** The changed files as a device tree with counts per folder; picking a file shows its side-by-side diff or its sizes. */
export function FileBrowserSection({ files, textDiffs, openPath, navigated = 0 }: FileBrowserSectionProps) {
  const diffsByPath = useMemo(() => new Map(textDiffs.map((diff) => [diff.path, diff])), [textDiffs]);
  const [withUnchanged, setWithUnchanged] = useState(false);
  const root = useMemo(() => buildChangeTree(files, [...diffsByPath.keys()], withUnchanged), [files, diffsByPath, withUnchanged]);
  const [expanded, setExpanded] = useState(() => initiallyExpanded(root));
  const [selected, setSelected] = useState<ChangeNode | null>(null);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const rows = useMemo(() => visibleRows(root, expanded), [root, expanded]);
  const detailRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (openPath === undefined) return;
    const node = findNode(root, openPath);
    if (node === null) return;
    const folders = nodePaths(openPath).slice(0, -1);
    const opened = new Set([...expanded, ...folders]);
    setExpanded(opened);
    setSelected(node);
    setFocusIndex(visibleRows(root, opened).findIndex((row) => row.node === node));
    detailRef.current?.scrollIntoView({ block: 'nearest' });
    // Only a new address opens a file: the tree's own state (`expanded`) must not re-run this.
  }, [openPath, navigated, root]);

  if (rows.length === 0) return null;

  const toggle = (node: ChangeNode, open?: boolean) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (open ?? !next.has(node.path)) next.add(node.path);
      else next.delete(node.path);
      return next;
    });

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = Number((event.target as HTMLElement).closest('li')?.getAttribute('data-index') ?? NaN);
    const row = rows[index];
    if (row === undefined) return;
    const folder = row.node.children.length > 0;
    let next: number | null = null;
    if (event.key === 'ArrowDown') next = Math.min(rows.length - 1, index + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, index - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = rows.length - 1;
    else if (event.key === 'ArrowRight' && folder) toggle(row.node, true);
    else if (event.key === 'ArrowLeft' && folder && expanded.has(row.node.path)) toggle(row.node, false);
    else if (event.key === 'ArrowLeft' && row.depth > 0) {
      for (let parent = index - 1; parent >= 0; parent--) {
        if ((rows[parent]?.depth ?? 0) < row.depth) {
          next = parent;
          break;
        }
      }
    } else return;
    event.preventDefault();
    if (next !== null) setFocusIndex(next);
  };

  const renderRow = ({ node, depth }: TreeRow, index: number) => {
    const folder = node.children.length > 0;
    const open = expanded.has(node.path);
    return (
      <button
        type="button"
        className={`tree-row${selected?.path === node.path ? ' tree-row-selected' : ''}`}
        style={{ paddingLeft: `${0.4 + depth * 1.1}rem` }}
        aria-expanded={folder ? open : undefined}
        aria-current={selected?.path === node.path ? 'true' : undefined}
        data-testid="tree-row"
        data-path={node.path}
        data-kind={node.kind ?? 'folder'}
        tabIndex={index === (focusIndex ?? 0) ? 0 : -1}
        onFocus={() => setFocusIndex(index)}
        onClick={() => {
          if (folder) toggle(node);
          setSelected(node);
          // The address follows the pick without adding a history entry per click.
          window.history.replaceState(null, '', fileHash(node.path));
        }}
      >
        {folder && (
          <span className="tree-twisty" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
        )}
        <RowLabel node={node} />
      </button>
    );
  };

  return (
    <ReportSection
      id="file-browser"
      title="Device tree"
      intro="The device's folders with what changed in them: + added, − removed, ~ changed, with counts per folder. Pick a file to see its lines side by side (decoded XML for binary XML), or its sizes and hashes. Arrow keys move through the tree."
    >
      {files.unchanged.length > 0 && (
        <label className="checkbox tree-option" data-testid="tree-show-unchanged">
          <input
            type="checkbox"
            checked={withUnchanged}
            onChange={(event) => {
              setWithUnchanged(event.target.checked);
              // The picked node belongs to the old tree; pick again in the new one.
              setSelected(null);
            }}
          />{' '}
          Show the {countOf(files.unchanged.length, 'file')} both builds share unchanged, for the whole device tree
        </label>
      )}
      <div className="file-browser">
        <VirtualList
          items={rows}
          rowHeight={ROW_HEIGHT}
          height={VIEW_HEIGHT}
          itemKey={(row) => row.node.path}
          renderRow={renderRow}
          label="Changed files by folder"
          testId="file-tree"
          onKeyDown={onKeyDown}
          focusIndex={focusIndex}
        />
        <div ref={detailRef} className="file-detail-slot">
          {selected === null ? (
            <p className="empty file-detail">Pick a file in the tree.</p>
          ) : (
            <FileDetail node={selected} diff={diffsByPath.get(selected.path)} />
          )}
        </div>
      </div>
    </ReportSection>
  );
}
