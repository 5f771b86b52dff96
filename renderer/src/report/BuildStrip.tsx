import type { PackageInfo } from '../../../shared/model.js';
import { formatLabel } from '../text/format.js';

const SIDES = [
  { side: 'old', title: 'Old build' },
  { side: 'new', title: 'New build' },
] as const;

function facts(info: PackageInfo): string {
  return [
    info.androidVersion === null ? null : `Android ${info.androidVersion}`,
    info.securityPatch === null ? null : `patch ${info.securityPatch}`,
    info.boot?.securityPatch == null ? null : `boot patch ${info.boot.securityPatch}`,
    info.boot?.kernelVersion == null ? null : `kernel ${info.boot.kernelVersion}`,
    formatLabel(info.format),
  ]
    .filter((fact) => fact !== null)
    .join(' · ');
}

/** Both builds at a glance above the answer; the Builds section below has every detail. */
export function BuildStrip({ oldInfo, newInfo }: { oldInfo: PackageInfo; newInfo: PackageInfo }) {
  const infos = { old: oldInfo, new: newInfo };
  return (
    <div className="build-strip" data-testid="build-strip" role="group" aria-label="The two builds">
      {SIDES.map(({ side, title }) => (
        <div key={side} className="build-strip-side" data-testid={`build-strip-${side}`}>
          <p className="eyebrow">{title}</p>
          <p className="mono build-strip-fingerprint">{infos[side].fingerprint ?? infos[side].file}</p>
          <p className="build-strip-facts">{facts(infos[side])}</p>
        </div>
      ))}
    </div>
  );
}
