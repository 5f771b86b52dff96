import type { ReactNode } from 'react';
import type { PackageKind, RecentComparison, Side } from '../../../shared/api.js';
import { canCompare, type Notice, type Picks } from './liveState.js';
import { NoticeBox } from './NoticeBox.js';
import { PackageZone } from './PackageZone.js';
import { RecentList } from './RecentList.js';

interface StartScreenProps {
  picks: Picks;
  notice: Notice | null;
  onChoose: (side: Side, kind: PackageKind) => void;
  onDropFile: (side: Side, file: File) => void;
  onCompare: () => void;
  /** Given when the app ships the sample pair. */
  onTrySample?: () => void;
  recent: readonly RecentComparison[];
  onOpenRecent: (entry: RecentComparison) => void;
  onForgetRecent: (entry: RecentComparison) => void;
  /** The feature rules in use, and the timeline of several builds. */
  extras?: ReactNode;
}

export function StartScreen({ picks, notice, onChoose, onDropFile, onCompare, onTrySample, recent, onOpenRecent, onForgetRecent, extras }: StartScreenProps) {
  const ready = canCompare(picks);
  return (
    <main className="page start" data-testid="start-screen">
      <header className="page-header">
        <h1>Compare two builds</h1>
        <p className="lede">
          Choose the old and the new Android ROM or OTA package. Everything is read on this computer; nothing is sent
          anywhere.
        </p>
      </header>
      {notice !== null && <NoticeBox notice={notice} />}
      <div className="zones">
        {(['old', 'new'] as const).map((side) => (
          <PackageZone
            key={side}
            side={side}
            pick={picks[side]}
            onChoose={(kind) => onChoose(side, kind)}
            onDropFile={(file) => onDropFile(side, file)}
          />
        ))}
      </div>
      <div className="button-row compare-row">
        <button type="button" className="primary" disabled={!ready} onClick={onCompare} aria-describedby="compare-hint">
          Compare
        </button>
        <span id="compare-hint" className="hint">
          {ready ? 'Both packages are chosen.' : 'Choose both packages to compare them.'}
        </span>
        {onTrySample !== undefined && (
          <button type="button" className="try-sample" onClick={onTrySample} data-testid="try-sample">
            Try the sample
          </button>
        )}
      </div>
      <RecentList entries={recent} onOpen={onOpenRecent} onForget={onForgetRecent} />
      {extras}
    </main>
  );
}
