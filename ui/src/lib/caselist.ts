// The case list's order and keyboard: which column sorts which way, what a header click does,
// and which keys walk the rows. The order itself is computed by the core in SQL over every
// matching case (never by sorting one page here), so this only says what to ask for.

/** The orders the core can list by. */
export type SortKey = 'due' | 'received' | 'reference';
/** Which way an order runs. */
export type SortDir = 'asc' | 'desc';

/** The way a column runs when first clicked: received shows the newest first, the others the
 *  earliest (soonest due, lowest reference) first — as the core's natural orders do. */
export function firstDir(key: SortKey): SortDir {
  return key === 'received' ? 'desc' : 'asc';
}

/** The order after clicking the header of `key`: a new column starts its natural way, the
 *  current one flips. */
export function clickHeader(current: { sort: SortKey; dir: SortDir | '' }, key: SortKey): { sort: SortKey; dir: SortDir } {
  const now = current.dir === '' ? firstDir(current.sort) : current.dir;
  if (current.sort !== key) return { sort: key, dir: firstDir(key) };
  return { sort: key, dir: now === 'asc' ? 'desc' : 'asc' };
}

/** The direction actually in effect (an unset direction is the column's natural one). */
export function effectiveDir(sort: SortKey, dir: SortDir | ''): SortDir {
  return dir === '' ? firstDir(sort) : dir;
}

/** `aria-sort` of a column header. */
export function ariaSort(column: SortKey, sort: SortKey, dir: SortDir | ''): 'ascending' | 'descending' | 'none' {
  if (column !== sort) return 'none';
  return effectiveDir(sort, dir) === 'asc' ? 'ascending' : 'descending';
}

/** The arrow shown beside the sorted column's name (empty for the others). */
export function sortArrow(column: SortKey, sort: SortKey, dir: SortDir | ''): string {
  if (column !== sort) return '';
  return effectiveDir(sort, dir) === 'asc' ? '▲' : '▼';
}

/** Rows moved by an arrow key in the list (null: not a list key). */
export function arrowDelta(key: string): number | null {
  switch (key) {
    case 'ArrowDown':
      return 1;
    case 'ArrowUp':
      return -1;
    default:
      return null;
  }
}

/** The file name proposed for the yearly-report CSV, e.g. `dsar-cases-2026-12-03.csv`. */
export function csvFileName(today: string): string {
  return `dsar-cases-${today}.csv`;
}

/** Where an arrow key leads in a paged list: another row of this page, or the first row of
 *  the next page / the last row of the previous one when it runs past the page's edge. */
export function pageStep(
  at: { selected: number; rows: number; offset: number; total: number; pageSize: number },
  delta: number,
): { offset: number; select: number | 'first' | 'last' } {
  const { selected, rows, offset, total, pageSize } = at;
  if (delta > 0 && selected >= rows - 1 && offset + rows < total) return { offset: offset + pageSize, select: 'first' };
  if (delta < 0 && selected <= 0 && offset > 0) return { offset: Math.max(0, offset - pageSize), select: 'last' };
  if (rows <= 0) return { offset, select: -1 };
  return { offset, select: Math.min(rows - 1, Math.max(0, selected + delta)) };
}
