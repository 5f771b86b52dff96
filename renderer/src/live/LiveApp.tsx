import { useEffect, useReducer, useRef, useState } from 'react';
import type { CompareRequest, OtaLensApi, PackageKind, PackagePair, RecentComparison, Side } from '../../../shared/api.js';
import { ReportPage } from '../report/ReportPage.js';
import { appExporter } from './appExporter.js';
import { ComparingScreen } from './ComparingScreen.js';
import { INITIAL_STATE, liveReducer, NO_PATH_NOTICE } from './liveState.js';
import { StartScreen } from './StartScreen.js';

/** The Electron window: choose two packages, compare them through `window.otalens`, show the report. */
export function LiveApp({ api }: { api: OtaLensApi }) {
  const [state, dispatch] = useReducer(liveReducer, INITIAL_STATE);
  const lastRun = useRef(0);

  useEffect(() => api.onProgress((progress) => dispatch({ type: 'progress', progress })), [api]);
  useEffect(() => api.onPackageChosen(({ side, package: pick }) => dispatch({ type: 'picked', side, pick })), [api]);
  useEffect(preventDropNavigation, []);
  // The report names its packages in the title itself; the other screens say where the window is.
  useEffect(() => {
    if (state.screen === 'start') document.title = 'OTA Lens';
    else if (state.screen === 'comparing') document.title = `Comparing ${state.picks.old?.name ?? ''} → ${state.picks.new?.name ?? ''} · OTA Lens`;
  }, [state.screen, state.picks]);
  const [sample, setSample] = useState<PackagePair | null>(null);
  const [recent, setRecent] = useState<readonly RecentComparison[]>([]);
  useEffect(() => {
    api.samplePackages().then(setSample, () => setSample(null));
  }, [api]);
  // Read again on every return to the start screen: the comparison just made is now the newest.
  useEffect(() => {
    if (state.screen === 'start') api.recentComparisons().then(setRecent, () => setRecent([]));
  }, [api, state.screen]);

  const choose = async (side: Side, kind: PackageKind) => {
    try {
      const pick = await api.choosePackage(side, kind);
      if (pick !== null) dispatch({ type: 'picked', side, pick });
    } catch (error) {
      dispatch({
        type: 'pickFailed',
        notice: { title: 'The package could not be chosen', message: messageOf(error), nextStep: 'Try again.' },
      });
    }
  };

  const dropFile = (side: Side, file: File) => {
    const path = api.pathForFile(file);
    if (path === '') dispatch({ type: 'pickFailed', notice: NO_PATH_NOTICE });
    else dispatch({ type: 'picked', side, pick: { path, name: file.name } });
  };

  const compare = async () => {
    if (state.screen !== 'start' || state.picks.old === null || state.picks.new === null) return;
    await comparePair({ oldPath: state.picks.old.path, newPath: state.picks.new.path });
  };

  /** Picks both packages and compares them at once (the sample, a recent comparison). */
  const comparePicked = async (pair: PackagePair) => {
    if (state.screen !== 'start') return;
    dispatch({ type: 'picked', side: 'old', pick: pair.old });
    dispatch({ type: 'picked', side: 'new', pick: pair.new });
    await comparePair({ oldPath: pair.old.path, newPath: pair.new.path });
  };

  const comparePair = async (request: CompareRequest) => {
    const run = ++lastRun.current;
    dispatch({ type: 'compareStarted', run, startedAt: Date.now() });
    try {
      dispatch({ type: 'compareFinished', run, outcome: await api.compare(request) });
    } catch (error) {
      dispatch({ type: 'compareCrashed', run, message: messageOf(error) });
    }
  };

  const cancel = () => {
    if (state.screen !== 'comparing') return;
    const run = state.run;
    dispatch({ type: 'cancelRequested' });
    // The pending compare() then resolves as cancelled; that outcome returns to the start screen.
    api.cancelCompare().catch((error: unknown) => dispatch({ type: 'compareCrashed', run, message: messageOf(error) }));
  };

  /** Back to the start screen; the next report opens on its summary, not on the view this one was left in. */
  const startOver = () => {
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    dispatch({ type: 'newComparison' });
  };

  switch (state.screen) {
    case 'start':
      return (
        <StartScreen
          picks={state.picks}
          notice={state.notice}
          onChoose={(side, kind) => void choose(side, kind)}
          onDropFile={dropFile}
          onCompare={() => void compare()}
          onTrySample={sample === null ? undefined : () => void comparePicked(sample)}
          recent={recent}
          onOpenRecent={(entry) => void comparePicked(entry)}
          onForgetRecent={(entry) => void api.forgetRecent(entry.id).then(setRecent, () => undefined)}
        />
      );
    case 'comparing':
      return (
        <ComparingScreen
          picks={state.picks}
          progress={state.progress}
          startedAt={state.startedAt}
          cancelling={state.cancelling}
          onCancel={cancel}
        />
      );
    case 'report':
      return <ReportPage result={state.result} exporter={appExporter(api, state.result)} exportRequests={(listener) => api.onExportRequested(listener)} onNewComparison={startOver} readFileText={api.readFileText} />;
  }
}

/** A file dropped outside a drop zone would otherwise make the window navigate to it. */
function preventDropNavigation(): () => void {
  const ignore = (event: DragEvent) => event.preventDefault();
  window.addEventListener('dragover', ignore);
  window.addEventListener('drop', ignore);
  return () => {
    window.removeEventListener('dragover', ignore);
    window.removeEventListener('drop', ignore);
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
