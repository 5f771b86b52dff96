import type { InitServiceDiff, ValueChange } from '../../../../shared/appDiff.js';
import type { InitService } from '../../../../shared/inventory.js';
import type { ChangeKind } from '../changeKind.js';
import { ChangeTable, type ChangeColumn } from '../ChangeTable.js';
import { DevicePath } from '../DevicePath.js';
import { OldToNew } from '../OldToNew.js';
import { ReportSection } from '../ReportSection.js';
import { matchesWords, serviceChangeTexts, serviceTexts } from './platformSearch.js';

/** What differs between two declarations of one service, one phrase each. */
function ServiceDifferences({ change }: { change: ValueChange<InitService> }) {
  const { old, new: current } = change;
  const addedOptions = current.options.filter((option) => !old.options.includes(option));
  const removedOptions = old.options.filter((option) => !current.options.includes(option));
  return (
    <ul className="plain-list">
      {old.command !== current.command && (
        <li>
          command: <OldToNew old={old.command} current={current.command} />
        </li>
      )}
      {addedOptions.map((option) => (
        <li key={`+${option}`}>
          <span aria-hidden="true">+ </span>option added: <span className="mono">{option}</span>
        </li>
      ))}
      {removedOptions.map((option) => (
        <li key={`-${option}`}>
          <span aria-hidden="true">− </span>option removed: <span className="mono">{option}</span>
        </li>
      ))}
      {old.command === current.command && addedOptions.length + removedOptions.length === 0 && (
        <li>
          options reordered: <OldToNew old={old.options.join('; ')} current={current.options.join('; ')} />
        </li>
      )}
      {old.file !== current.file && (
        <li>
          declared in: <OldToNew old={old.file} current={current.file} />
        </li>
      )}
    </ul>
  );
}

type ServiceRow = { kind: ChangeKind; service: InitService; change?: ValueChange<InitService> };

const SERVICE_COLUMNS: readonly ChangeColumn<ServiceRow>[] = [
  { header: 'Service', colClass: 'col-service', cellClass: 'mono', isRowHeader: true, render: ({ service }) => service.name },
  {
    header: 'Command or difference',
    colClass: 'col-command',
    render: ({ service, change }) => (change === undefined ? <span className="mono">{service.command}</span> : <ServiceDifferences change={change} />),
  },
  { header: 'File', colClass: 'col-where', render: ({ service }) => <DevicePath path={service.file} line={service.line} /> },
];

/** Services started by init (`service` blocks of `*.rc` files). */
export function InitServicesSection({ services, words }: { services: InitServiceDiff; words: readonly string[] }) {
  const all: ServiceRow[] = [
    ...services.changed.map((change) => ({ kind: 'changed' as const, service: change.new, change })),
    ...services.added.map((service) => ({ kind: 'added' as const, service })),
    ...services.removed.map((service) => ({ kind: 'removed' as const, service })),
  ];
  const rows = all.filter(({ service, change }) => matchesWords(change === undefined ? serviceTexts(service) : serviceChangeTexts(change), words));
  return (
    <ReportSection id="init-services" title="Init services" intro="Services started by init, from the service blocks of .rc files.">
      {rows.length === 0 ? (
        <p className="empty">{all.length === 0 ? 'No init service was added, removed or changed.' : 'None match the search.'}</p>
      ) : (
        <ChangeTable
          rows={rows}
          columns={SERVICE_COLUMNS}
          tableClass="init-services"
          rowKey={({ kind, service }, index) => `${kind}\u0000${service.name}\u0000${index}`}
          rowTestId="init-service-row"
          kindOf={(row) => row.kind}
        />
      )}
    </ReportSection>
  );
}
