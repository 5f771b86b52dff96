/**
 * The code layer of two builds compared: per app, the SDKs and servers added and removed; across
 * the apps, the ones that gained trackers or servers. Pure logic over app models.
 */
import type { AppCode, AppModel, CodeStatus, SdkFound } from './app.js';
import type { CodeChange, CodeFinding } from './appDiff.js';
import { pairByKey } from './diff.js';
import { CATEGORY_LABELS, isTrackerCategory } from './sdks.js';
import { compareStrings } from './sort.js';

/** Statuses whose SDKs and servers are all there is to know: every DEX the app has was read (or it has none). */
const COMPARABLE: readonly CodeStatus[] = ['read', 'partial', 'no-code'];

/** Whether the app's SDKs and servers are known: its DEX files were read (or it has none). */
export function codeWasRead(code: AppCode): boolean {
  return COMPARABLE.includes(code.status);
}

const STATUS_WORDS: Readonly<Record<CodeStatus, string>> = {
  read: 'read',
  partial: 'partly read',
  unreadable: 'unreadable',
  'no-code': 'without code',
  'not-in-files': "not in the build's files",
};

/** How the code of an app changed between two builds; undefined when nothing did (or code was not analysed). */
export function codeChange(old: AppCode | null | undefined, current: AppCode | null | undefined): CodeChange | undefined {
  if (old === null || old === undefined || current === null || current === undefined) return undefined;
  const change: CodeChange = { sdks: { added: [], removed: [] }, hosts: { added: [], removed: [] } };
  if (old.status !== current.status) change.status = { old: old.status, new: current.status };
  if (codeWasRead(old) && codeWasRead(current)) {
    const sdks = pairByKey(old.sdks, current.sdks, (sdk) => sdk.id);
    const hosts = pairByKey(old.hosts, current.hosts, (host) => host.host);
    change.sdks = { added: sdks.added, removed: sdks.removed };
    change.hosts = { added: hosts.added, removed: hosts.removed };
  } else {
    const side = codeWasRead(old) ? 'the new build' : 'the old build';
    change.notCompared = `SDKs and servers not compared: the app's code is ${STATUS_WORDS[codeWasRead(old) ? current.status : old.status]} in ${side}`;
  }
  const changed = change.status !== undefined || change.sdks.added.length + change.sdks.removed.length + change.hosts.added.length + change.hosts.removed.length > 0;
  return changed ? change : undefined;
}

/**
 * An app's code in a few words: `6 SDKs (4 trackers), 13 servers`, and why its code could not be
 * read. When no DEX could be read its SDKs are unknown, never "0 SDKs".
 */
export function describeCode(code: AppCode): string {
  const trackers = code.sdks.filter((sdk) => isTrackerCategory(sdk.category)).length;
  const sdks = codeWasRead(code)
    ? `${code.sdks.length} ${code.sdks.length === 1 ? 'SDK' : 'SDKs'}${trackers > 0 ? ` (${trackers} ${trackers === 1 ? 'tracker' : 'trackers'})` : ''}`
    : 'SDKs unknown';
  const counts = `${sdks}, ${code.hosts.length} ${code.hosts.length === 1 ? 'server' : 'servers'}`;
  if (code.status === 'no-code') return `${counts}; the app has no code`;
  return code.status === 'read' ? counts : `${counts}; code ${STATUS_WORDS[code.status]}`;
}

/** `Umeng Analytics (analytics)`. */
export function sdkText(sdk: Pick<SdkFound, 'name' | 'category'>): string {
  return `${sdk.name} (${CATEGORY_LABELS[sdk.category]})`;
}

function appName(app: Pick<AppModel, 'package' | 'label'>): string {
  return app.label === null ? app.package : `${app.label} (${app.package})`;
}

function listText(items: readonly string[], limit = 4): string {
  if (items.length <= limit) return items.join(', ');
  return `${items.slice(0, limit).join(', ')} and ${items.length - limit} more`;
}

/** A finding when the change (or an added app's code) brings trackers, SDKs or servers. */
function finding(app: Pick<AppModel, 'package' | 'label'>, path: string, kind: CodeFinding['app'], sdks: readonly SdkFound[], hosts: CodeFinding['hostsAdded']): CodeFinding | null {
  const trackersAdded = sdks.filter((sdk) => isTrackerCategory(sdk.category));
  const otherSdksAdded = sdks.filter((sdk) => !isTrackerCategory(sdk.category));
  if (trackersAdded.length + otherSdksAdded.length + hosts.length === 0) return null;
  const parts = [
    trackersAdded.length > 0 ? `the tracker${trackersAdded.length === 1 ? '' : 's'} ${listText(trackersAdded.map(sdkText))}` : null,
    otherSdksAdded.length > 0 ? `the SDK${otherSdksAdded.length === 1 ? '' : 's'} ${listText(otherSdksAdded.map(sdkText))}` : null,
    hosts.length > 0 ? `${hosts.length === 1 ? 'a server' : `${hosts.length} servers`} (${listText(hosts.map((host) => host.host))})` : null,
  ].filter((part): part is string => part !== null);
  const verb = kind === 'added' ? 'is new in this build and carries' : 'now carries';
  const summary = `${appName(app)} ${verb} ${parts.join(' and ')}.`;
  return { package: app.package, label: app.label, path, app: kind, trackersAdded, otherSdksAdded, hostsAdded: [...hosts], summary };
}

/**
 * The apps that gained trackers, SDKs or servers: changed apps (from their code change), then
 * added apps (everything their code carries), each group by package.
 */
export function codeFindings(
  changed: readonly { app: Pick<AppModel, 'package' | 'label'>; path: string; code: CodeChange | undefined }[],
  added: readonly { app: Pick<AppModel, 'package' | 'label' | 'code'>; path: string }[],
): CodeFinding[] {
  const fromChanges = changed.flatMap(({ app, path, code }) => {
    const found = code === undefined ? null : finding(app, path, 'changed', code.sdks.added, code.hosts.added);
    return found === null ? [] : [found];
  });
  const fromAdded = added.flatMap(({ app, path }) => {
    const found = app.code === null || app.code === undefined ? null : finding(app, path, 'added', app.code.sdks, app.code.hosts);
    return found === null ? [] : [found];
  });
  const byPackage = (a: CodeFinding, b: CodeFinding): number => compareStrings(a.package, b.package);
  return [...fromChanges.sort(byPackage), ...fromAdded.sort(byPackage)];
}

/** What the code of two builds says in numbers and names, for the summaries. */
export interface CodeSummary {
  /** Apps of both builds that gained a tracker, by package. */
  gainedTrackers: CodeFinding[];
  /** Apps of both builds that gained a server, by package. */
  gainedServers: CodeFinding[];
  /** Apps only the new build has that carry a tracker. */
  newAppsWithTrackers: CodeFinding[];
}

export function summariseCode(findings: readonly CodeFinding[] | undefined): CodeSummary {
  const list = findings ?? [];
  return {
    gainedTrackers: list.filter((item) => item.app === 'changed' && item.trackersAdded.length > 0),
    gainedServers: list.filter((item) => item.app === 'changed' && item.hostsAdded.length > 0),
    newAppsWithTrackers: list.filter((item) => item.app === 'added' && item.trackersAdded.length > 0),
  };
}
