import { describe, expect, it } from 'vitest';
import { ariaSort, arrowDelta, clickHeader, csvFileName, effectiveDir, pageStep, sortArrow } from './caselist';

describe('sorting by column header', () => {
  it('starts a new column its natural way: received newest first, due and reference ascending', () => {
    expect(clickHeader({ sort: 'due', dir: '' }, 'reference')).toEqual({ sort: 'reference', dir: 'asc' });
    expect(clickHeader({ sort: 'due', dir: 'desc' }, 'received')).toEqual({ sort: 'received', dir: 'desc' });
    expect(clickHeader({ sort: 'reference', dir: 'desc' }, 'due')).toEqual({ sort: 'due', dir: 'asc' });
  });

  it('flips the current column, starting from its natural way when none was chosen', () => {
    expect(clickHeader({ sort: 'due', dir: '' }, 'due')).toEqual({ sort: 'due', dir: 'desc' });
    expect(clickHeader({ sort: 'due', dir: 'desc' }, 'due')).toEqual({ sort: 'due', dir: 'asc' });
    expect(clickHeader({ sort: 'received', dir: '' }, 'received')).toEqual({ sort: 'received', dir: 'asc' });
  });

  it('marks only the sorted column, with the direction in effect', () => {
    expect(ariaSort('due', 'due', '')).toBe('ascending');
    expect(ariaSort('received', 'received', '')).toBe('descending');
    expect(ariaSort('reference', 'due', 'asc')).toBe('none');
    expect(sortArrow('due', 'due', 'desc')).toBe('▼');
    expect(sortArrow('due', 'due', 'asc')).toBe('▲');
    expect(sortArrow('reference', 'due', 'asc')).toBe('');
    expect(effectiveDir('received', '')).toBe('desc');
  });
});

describe('list keys and the CSV file name', () => {
  it('moves one row per arrow key and ignores other keys', () => {
    expect(arrowDelta('ArrowDown')).toBe(1);
    expect(arrowDelta('ArrowUp')).toBe(-1);
    expect(arrowDelta('j')).toBeNull();
  });

  it('proposes a dated file name', () => {
    expect(csvFileName('2026-12-03')).toBe('dsar-cases-2026-12-03.csv');
  });
});

describe('arrow keys across pages', () => {
  const at = { selected: 49, rows: 50, offset: 0, total: 120, pageSize: 50 };
  it('moves within the page, then on to the next or previous page', () => {
    expect(pageStep({ ...at, selected: 3 }, 1)).toEqual({ offset: 0, select: 4 });
    expect(pageStep(at, 1)).toEqual({ offset: 50, select: 'first' });
    expect(pageStep({ ...at, selected: 0, offset: 50 }, -1)).toEqual({ offset: 0, select: 'last' });
  });

  it('stops at the first and the last case', () => {
    expect(pageStep({ ...at, selected: 0 }, -1)).toEqual({ offset: 0, select: 0 });
    expect(pageStep({ ...at, selected: 19, rows: 20, offset: 100 }, 1)).toEqual({ offset: 100, select: 19 });
  });
});
