import { describe, expect, it } from 'vitest';
import { ariaSort, arrowDelta, clickHeader, csvFileName, effectiveDir, sortArrow } from './caselist';

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
