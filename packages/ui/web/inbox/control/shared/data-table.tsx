import type { ComponentChildren } from 'preact';

/** A table of rows under column headings (the rows are the caller's `<tr>`s). */
export function DataTable({ columns, children }: { columns: readonly string[]; children: ComponentChildren }) {
  return (
    <table class="cc-table">
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
