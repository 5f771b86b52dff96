import type { ReactNode } from 'react';
import type { RowStatus } from './changeKind.js';
import { ChangeKindMark } from './ChangeKindMark.js';

/** One column of a {@link ChangeTable}: its header, its `<col>` class and how a row fills its cell. */
export interface ChangeColumn<Row> {
  header: string;
  colClass: string;
  /** Class of each body cell, e.g. `mono`. */
  cellClass?: string;
  /** Render the cell as `<th scope="row">`: the column that names the row. */
  isRowHeader?: boolean;
  render: (row: Row) => ReactNode;
}

interface ChangeTableProps<Row> {
  rows: readonly Row[];
  columns: readonly ChangeColumn<Row>[];
  /** Added to `data-table`, e.g. `grants`. */
  tableClass: string;
  rowKey: (row: Row, index: number) => string;
  rowTestId: string;
  /** When given, a leading "Change" column shows the kind, also set as the row's `data-kind`. */
  kindOf?: (row: Row) => RowStatus;
  /** The row's `data-name`, for tests and scripts that look a row up by name. */
  nameOf?: (row: Row) => string;
}

/** A scrollable table of changes, one row per added, removed or changed item. */
export function ChangeTable<Row>({ rows, columns, tableClass, rowKey, rowTestId, kindOf, nameOf }: ChangeTableProps<Row>) {
  return (
    <div className="table-scroll">
      <table className={`data-table ${tableClass}`}>
        <colgroup>
          {kindOf !== undefined && <col className="col-kind" />}
          {columns.map((column) => (
            <col key={column.header} className={column.colClass} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {kindOf !== undefined && <th scope="col">Change</th>}
            {columns.map((column) => (
              <th key={column.header} scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const kind = kindOf?.(row);
            return (
              <tr key={rowKey(row, index)} data-testid={rowTestId} data-name={nameOf?.(row)} data-kind={kind}>
                {kind !== undefined && (
                  <td>
                    <ChangeKindMark kind={kind} />
                  </td>
                )}
                {columns.map((column) =>
                  column.isRowHeader === true ? (
                    <th key={column.header} scope="row" className={column.cellClass}>
                      {column.render(row)}
                    </th>
                  ) : (
                    <td key={column.header} className={column.cellClass}>
                      {column.render(row)}
                    </td>
                  ),
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
