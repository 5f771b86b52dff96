import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { formatLabel } from '../../../shared/labels.js';
import { timelineTitle } from '../../../shared/report.js';
import type { FeatureTimeline, KeyTimeline, TimelineBuild, TimelineResult } from '../../../shared/timeline.js';
import type { Evidence } from '../../../shared/verdict.js';
import { claimBadge } from '../text/verdictText.js';
import { Badge } from '../report/Badge.js';
import { ReportSection } from '../report/ReportSection.js';
import { ValueText } from '../report/ValueText.js';
import { EvidenceList } from '../report/verdicts/EvidenceList.js';
import { StateText } from '../report/verdicts/StateText.js';
import { RuleFilesNote } from '../report/verdicts/RuleFilesNote.js';

/** Which cell's evidence is shown: a row (feature id or key claim) and a build. */
interface Selection {
  row: string;
  build: number;
}

interface TimelinePageProps {
  result: TimelineResult;
  /** Given in the app window: back to the start screen. */
  onBack?: () => void;
}

/** A table with a column per build after the rows' own first column. */
function BuildColumns({ first, builds, children }: { first: string; builds: readonly TimelineBuild[]; children: ReactNode }) {
  return (
    <div className="table-scroll">
      <table className="data-table timeline-table">
        <thead>
          <tr>
            <th scope="col">{first}</th>
            {builds.map((build, index) => (
              <th key={`${build.file}\u0000${index}`} scope="col" data-testid="timeline-build-column">
                <span className="timeline-build-number">Build {index + 1}</span>
                <span className="mono timeline-build-label">{build.label}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A cell that shows its state and opens its evidence; a change from the build before is marked in words too; `label` says, for screen readers, which row and build it is. */
function Cell({ changed, selected, onSelect, label, children, testId }: { changed: boolean; selected: boolean; onSelect: () => void; label: string; children: ReactNode; testId: string }) {
  return (
    <td className={changed ? 'timeline-cell timeline-changed' : 'timeline-cell'} data-testid={testId} data-changed={changed ? 'true' : undefined}>
      <button type="button" className="link-button timeline-cell-button" aria-expanded={selected} onClick={onSelect}>
        {changed && (
          <span className="timeline-change-mark" aria-hidden="true">
            ●{' '}
          </span>
        )}
        {children}
        <span className="visually-hidden">{`, ${label}`}</span>
      </button>
    </td>
  );
}

function FeatureRow({ feature, builds, selection, select }: { feature: FeatureTimeline; builds: readonly TimelineBuild[]; selection: Selection | null; select: (selection: Selection | null) => void }) {
  const changedAt = new Set(feature.steps.map((step) => step.build));
  return (
    <tr data-testid="timeline-feature" data-feature={feature.id}>
      <th scope="row">
        {feature.title}
        <span className="timeline-sentence" data-testid="timeline-sentence">
          {feature.summary}
        </span>
      </th>
      {feature.cells.map((cell, index) => (
        <Cell
          key={index}
          changed={changedAt.has(index)}
          selected={selection?.row === feature.id && selection.build === index}
          onSelect={() => select(selection?.row === feature.id && selection.build === index ? null : { row: feature.id, build: index })}
          label={`${feature.title} in build ${index + 1} (${builds[index]?.label ?? ''}): show the evidence`}
          testId="timeline-cell"
        >
          <StateText state={cell.state} testId="timeline-state" />
          {changedAt.has(index) && <span className="visually-hidden"> (changed from the build before)</span>}
        </Cell>
      ))}
    </tr>
  );
}

function KeyRow({ row, builds, selection, select }: { row: KeyTimeline; builds: readonly TimelineBuild[]; selection: Selection | null; select: (selection: Selection | null) => void }) {
  const changedAt = new Set(row.steps.map((step) => step.build));
  return (
    <tr data-testid="timeline-key" data-claim={row.text}>
      <th scope="row">
        <span className="mono">{row.text}</span>
        <span className="timeline-sentence">{row.summary}</span>
      </th>
      {row.cells.map((cell, index) => (
        <Cell
          key={index}
          changed={changedAt.has(index)}
          selected={selection?.row === row.text && selection.build === index}
          onSelect={() => select(selection?.row === row.text && selection.build === index ? null : { row: row.text, build: index })}
          label={`${row.text} in build ${index + 1} (${builds[index]?.label ?? ''}): show the evidence`}
          testId="timeline-key-cell"
        >
          {cell.found.length === 0 ? <span className="value-missing">not set</span> : cell.found.map((value, at) => <span key={at}>{at > 0 && ' / '}<ValueText value={value} /></span>)}{' '}
          <Badge badge={claimBadge(cell.verdict)} />
        </Cell>
      ))}
    </tr>
  );
}

/** The evidence of the chosen cell, in a row of its own right under the row it belongs to. */
function EvidenceRow({ title, build, evidence, columns }: { title: string; build: TimelineBuild | undefined; evidence: readonly Evidence[]; columns: number }) {
  return (
    <tr className="timeline-evidence-row" data-testid="timeline-evidence">
      <td colSpan={columns}>
        <h3 className="timeline-evidence-title">
          Evidence: {title} in {build?.label ?? 'this build'} <span className="muted">({build?.file})</span>
        </h3>
        <EvidenceList evidence={evidence} side="new" emptyText="Nothing was found in this build." />
      </td>
    </tr>
  );
}

/** Many builds side by side, a column each: every feature's and claimed key's state, where it changed, and why. */
export function TimelinePage({ result, onBack }: TimelinePageProps) {
  const [selection, setSelection] = useState<Selection | null>(null);
  const builds = result.builds;
  useEffect(() => {
    document.title = timelineTitle(builds.map((build) => build.file));
  }, [builds]);
  const problemCount = result.problems.reduce((total, list) => total + list.length, 0);
  return (
    <main className="page report timeline" data-testid="timeline">
      <header className="page-header report-header">
        <div>
          <p className="eyebrow">OTA Lens timeline</p>
          <h1 data-testid="timeline-title">
            {builds.length} builds, {result.order === 'build-date' ? 'ordered by build date' : 'in the order given'}
          </h1>
        </div>
        {onBack !== undefined && (
          <div className="header-actions">
            <button type="button" onClick={onBack}>
              Back
            </button>
          </div>
        )}
      </header>
      <RuleFilesNote ruleFiles={result.ruleFiles} />
      <ReportSection id="timeline-features" title="Features across builds" intro="Each build is a column; a dot marks a state that differs from the build before. Choose a cell to see its evidence.">
        <BuildColumns first="Feature" builds={builds}>
          {result.features.map((feature) => (
            <Fragment key={feature.id}>
              <FeatureRow feature={feature} builds={builds} selection={selection} select={setSelection} />
              {selection?.row === feature.id && <EvidenceRow title={feature.title} build={builds[selection.build]} evidence={feature.cells[selection.build]?.evidence ?? []} columns={builds.length + 1} />}
            </Fragment>
          ))}
        </BuildColumns>
      </ReportSection>
      {result.keys.length > 0 && (
        <ReportSection id="timeline-keys" title="Claimed keys across builds" intro="The value each build sets for each claimed key, and whether that agrees with the claim.">
          <BuildColumns first="Claim" builds={builds}>
            {result.keys.map((row) => (
              <Fragment key={row.text}>
                <KeyRow row={row} builds={builds} selection={selection} select={setSelection} />
                {selection?.row === row.text && <EvidenceRow title={row.text} build={builds[selection.build]} evidence={row.cells[selection.build]?.evidence ?? []} columns={builds.length + 1} />}
              </Fragment>
            ))}
          </BuildColumns>
        </ReportSection>
      )}
      <ReportSection id="timeline-builds" title="Builds">
        <div className="table-scroll">
          <table className="data-table timeline-builds">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Package</th>
                <th scope="col">Fingerprint</th>
                <th scope="col">Built</th>
                <th scope="col">Android</th>
                <th scope="col">Security patch</th>
                <th scope="col">Format</th>
              </tr>
            </thead>
            <tbody>
              {builds.map((build, index) => (
                <tr key={`${build.file}\u0000${index}`} data-testid="timeline-build">
                  <th scope="row">{index + 1}</th>
                  <td className="mono">{build.file}</td>
                  <td className="mono">
                    <ValueText value={build.fingerprint} />
                  </td>
                  <td>
                    <ValueText value={build.buildDate} prose />
                  </td>
                  <td>
                    <ValueText value={build.androidVersion} />
                  </td>
                  <td>
                    <ValueText value={build.securityPatch} />
                  </td>
                  <td>{formatLabel(build.format)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </ReportSection>
      {problemCount > 0 && (
        <ReportSection id="timeline-problems" title={`Problems (${problemCount.toLocaleString('en-US')})`} intro="These parts could not be read and were skipped; the rest was read.">
          {result.problems.map((list, index) =>
            list.length === 0 ? null : (
              <details key={index} className="evidence">
                <summary>
                  Build {index + 1} ({builds[index]?.label}): {list.length.toLocaleString('en-US')}
                </summary>
                <ul>
                  {list.map((problem, at) => (
                    <li key={at}>
                      <span className="mono">{problem.path}</span>: {problem.message}
                    </li>
                  ))}
                </ul>
              </details>
            ),
          )}
        </ReportSection>
      )}
    </main>
  );
}
