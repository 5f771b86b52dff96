import type { ReactNode } from 'react';
import type { PackageInfo, PackageSide } from '../../../shared/model.js';
import { formatLabel } from '../text/format.js';
import { PartitionsTable } from './PartitionsTable.js';

interface BuildRow {
  key: string;
  label: string;
  render: (info: PackageInfo) => ReactNode;
}

const ROWS: readonly BuildRow[] = [
  { key: 'file', label: 'File', render: (info) => <span className="mono">{info.file}</span> },
  { key: 'format', label: 'Format', render: (info) => formatLabel(info.format) },
  {
    key: 'fingerprint',
    label: 'Fingerprint',
    render: (info) =>
      info.fingerprint === null ? <span className="value-missing">Not found</span> : <span className="mono">{info.fingerprint}</span>,
  },
  { key: 'android-version', label: 'Android version', render: (info) => info.androidVersion ?? <span className="value-missing">Not found</span> },
  {
    key: 'security-patch',
    label: 'Security patch',
    render: (info) => info.securityPatch ?? <span className="value-missing">Not stated (builds before Android 6 have none)</span>,
  },
  {
    key: 'boot-patch',
    label: 'Boot patch level',
    render: (info) =>
      info.boot?.securityPatch ?? <span className="value-missing">{info.boot == null ? 'No boot image in this package' : 'Not stated in the boot image'}</span>,
  },
  {
    key: 'kernel',
    label: 'Kernel',
    render: (info) =>
      info.boot?.kernelVersion == null ? (
        <span className="value-missing">{info.boot == null ? 'No boot image in this package' : 'Not found'}</span>
      ) : (
        <span className="mono" title={info.boot.images.find((image) => image.kernelVersion === info.boot?.kernelVersion)?.kernelBanner ?? undefined}>
          {info.boot.kernelVersion}
        </span>
      ),
  },
  {
    key: 'fingerprint-source',
    label: 'Fingerprint read from',
    render: (info) => (info.fingerprintSource === null ? <span className="value-missing">—</span> : <span className="mono">{info.fingerprintSource}</span>),
  },
  {
    key: 'sha256',
    label: 'SHA-256',
    render: (info) =>
      info.sha256 === null ? <span className="value-missing">None (a folder has no single file to hash)</span> : <span className="mono hash">{info.sha256}</span>,
  },
];

/** The two builds side by side, so a reader can tell exactly which files were compared. */
export function BuildsTable({ oldInfo, newInfo }: { oldInfo: PackageSide; newInfo: PackageSide }) {
  return (
    <section id="builds" className="section" aria-labelledby="builds-heading">
      <h2 id="builds-heading">Builds</h2>
      <div className="table-scroll">
        <table className="builds" data-testid="builds">
          <thead>
            <tr>
              <td />
              <th scope="col">Old build</th>
              <th scope="col">New build</th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                <td data-testid={`${row.key}-old`}>{row.render(oldInfo)}</td>
                <td data-testid={`${row.key}-new`}>{row.render(newInfo)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Partitions</h3>
      <PartitionsTable oldInfo={oldInfo} newInfo={newInfo} />
    </section>
  );
}
