/** A column of a printed table: its header, its width, and how a row fills it. */
export type TableColumn<Row> = readonly [header: string, width: number, cell: (row: Row) => string];

/** The header, then one line per row: the first column left-aligned, the others right-aligned. */
export function alignedTableLines<Row>(
  columns: readonly TableColumn<Row>[],
  rows: readonly Row[],
): string[] {
  const line = (cell: (c: TableColumn<Row>) => string) =>
    columns.map((c, i) => (i === 0 ? cell(c).padEnd(c[1]) : cell(c).padStart(c[1]))).join('  ');
  return [line((c) => c[0]), ...rows.map((row) => line((c) => c[2](row)))];
}

/** A figure to `digits` decimals, or a dash where there is none. */
export const fixedOrDash = (value: number | undefined, digits: number): string =>
  value === undefined ? '-' : value.toFixed(digits);
