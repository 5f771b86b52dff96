import type { PackageSide, PartitionSummary } from '../../../shared/model.js';
import { formatBytes, formatExactBytes } from '../text/format.js';

/** Partition names in the order the old build lists them, then those only the new build has. */
export function partitionNames(old: readonly PartitionSummary[], current: readonly PartitionSummary[]): string[] {
  return [...new Set([...old.map((partition) => partition.name), ...current.map((partition) => partition.name)])];
}

function PartitionCell({ partition }: { partition: PartitionSummary | undefined }) {
  if (partition === undefined) return <span className="value-missing">Not in this build</span>;
  return (
    <>
      <span data-testid="partition-fs" data-kind={partition.kind}>
        {partition.fileSystem}
      </span>
      {partition.size !== null && (
        <>
          , <span title={formatExactBytes(partition.size)} data-testid="partition-size">{formatBytes(partition.size)}</span>
        </>
      )}
      {partition.kind === 'file-system' && (
        <>
          , mounted at <span className="mono">/{partition.name}</span>
        </>
      )}
      <br />
      <span className="muted">
        from <span className="mono">{partition.origin}</span>
      </span>
    </>
  );
}

/** What each build's partitions are, side by side. */
export function PartitionsTable({ oldInfo, newInfo }: { oldInfo: PackageSide; newInfo: PackageSide }) {
  const names = partitionNames(oldInfo.partitions, newInfo.partitions);
  if (names.length === 0) return <p className="empty">No partitions were found.</p>;
  return (
    <div className="table-scroll">
      <table className="builds partitions" data-testid="partitions">
        <thead>
          <tr>
            <th scope="col">Partition</th>
            <th scope="col">Old build</th>
            <th scope="col">New build</th>
          </tr>
        </thead>
        <tbody>
          {names.map((name) => (
            <tr key={name} data-testid="partition-row" data-name={name}>
              <th scope="row" className="mono">
                {name}
              </th>
              <td data-testid="partition-old">
                <PartitionCell partition={oldInfo.partitions.find((partition) => partition.name === name)} />
              </td>
              <td data-testid="partition-new">
                <PartitionCell partition={newInfo.partitions.find((partition) => partition.name === name)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
