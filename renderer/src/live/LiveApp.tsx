import { useEffect, useReducer, useRef, useState } from 'react';
import type { CompareRequest, FeatureRulesStatus, OtaLensApi, PackageKind, PackagePair, PickedPackage, RecentComparison, Side } from '../../../shared/api.js';
import type { Progress } from '../../../shared/model.js';
import type { TimelineResult } from '../../../shared/timeline.js';
import { ReportPage } from '../report/ReportPage.js';
import { TimelinePage } from '../timeline/TimelinePage.js';
import { appExporter } from './appExporter.js';
import { ComparingScreen } from './ComparingScreen.js';
import { errorNotice, INITIAL_STATE, liveReducer, NO_PATH_NOTICE } from './liveState.js';
import { RulesPanel } from './RulesPanel.js';
import { StartScreen } from './StartScreen.js';
import { TimelinePicker } from './TimelinePicker.js';
import { TimelineRunScreen } from './TimelineRunScreen.js';

/** A timeline of several builds, beside the two-build comparison: none, being read, or shown. */
type TimelineState =
  | { phase: 'idle' }
  | { phase: 'running'; run: number; startedAt: number; progress: Progress | null; cancelling: boolean }
  | { phase: 'shown'; result: TimelineResult };

/** The Electron window: choose two packages, compare them through `window.otalens`, show the report. */
export function LiveApp({ api }: { api: OtaLensApi }) {
  const [state, dispatch] = useReducer(liveReducer, INITIAL_STATE);
  const lastRun = useRef(0);

  const [timeline, setTimeline] = useState<TimelineState>({ phase: 'idle' });
  const [timelineBuilds, setTimelineBuilds] = useState<readonly PickedPackage[]>([]);
  const [rules, setRules] = useState<FeatureRulesStatus | null>(null);
  useEffect(
    () =>
      api.onProgress((progress) => {
        dispatch({ type: 'progress', progress });
        setTimeline((current) => (current.phase === 'running' && !current.cancelling ? { ...current, progress } : current));
      }),
    [api],
  );
  useEffect(() => api.onFeatureRulesChanged(setRules), [api]);
  useEffect(() => {
    if (state.screen === 'start') api.featureRules().then(setRules, () => setRules(null));
  }, [api, state.screen]);
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

  const chooseTimelineBuilds = async () => {
    try {
      const builds = await api.chooseBuilds();
      if (builds.length > 0) setTimelineBuilds(builds);
    } catch (error) {
      dispatch({ type: 'pickFailed', notice: { title: 'The builds could not be chosen', message: messageOf(error), nextStep: 'Try again.' } });
    }
  };

  const startTimeline = async (options: { keepOrder: boolean; claims: string[] }) => {
    const run = ++lastRun.current;
    setTimeline({ phase: 'running', run, startedAt: Date.now(), progress: null, cancelling: false });
    const settle = (next: TimelineState, notice?: Parameters<typeof dispatch>[0]) => {
      setTimeline((current) => (current.phase === 'running' && current.run === run ? next : current));
      if (notice !== undefined) dispatch(notice);
    };
    try {
      const outcome = await api.timeline({ paths: timelineBuilds.map((build) => build.path), keepOrder: options.keepOrder, claims: options.claims });
      if (outcome.ok) settle({ phase: 'shown', result: outcome.result });
      else if (outcome.error.kind === 'cancelled') settle({ phase: 'idle' });
      else settle({ phase: 'idle' }, { type: 'pickFailed', notice: { ...errorNotice(outcome.error), title: 'These builds could not be followed' } });
    } catch (error) {
      settle({ phase: 'idle' }, { type: 'pickFailed', notice: { title: 'The timeline stopped unexpectedly', message: messageOf(error), nextStep: 'Try again.' } });
    }
  };

  const changeRules = (change: () => Promise<FeatureRulesStatus>) => {
    change().then(setRules, (error: unknown) => dispatch({ type: 'pickFailed', notice: { title: 'The feature rules could not be changed', message: messageOf(error), nextStep: 'Try again.' } }));
  };

  if (timeline.phase === 'running') {
    return (
      <TimelineRunScreen
        builds={timelineBuilds}
        progress={timeline.progress}
        startedAt={timeline.startedAt}
        cancelling={timeline.cancelling}
        onCancel={() => {
          setTimeline({ ...timeline, cancelling: true });
          api.cancelCompare().catch(() => undefined);
        }}
      />
    );
  }
  if (timeline.phase === 'shown') return <TimelinePage result={timeline.result} onBack={() => setTimeline({ phase: 'idle' })} />;

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
          extras={
            <>
              <RulesPanel status={rules} onLoad={() => changeRules(api.chooseFeatureRules)} onForget={() => changeRules(api.forgetFeatureRules)} />
              <TimelinePicker builds={timelineBuilds} onChoose={() => void chooseTimelineBuilds()} onStart={(options) => void startTimeline(options)} />
            </>
          }
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
