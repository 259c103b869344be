import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounce } from './debounce';

describe('debounce', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('calls once with the last arguments after the pause', () => {
    const seen: string[] = [];
    const search = debounce((q: string) => seen.push(q), 200);
    search('j');
    search('ja');
    vi.advanceTimersByTime(199);
    search('jan');
    vi.advanceTimersByTime(199);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual(['jan']);
  });

  it('drops the pending call on cancel', () => {
    const seen: string[] = [];
    const search = debounce((q: string) => seen.push(q), 100);
    search('x');
    search.cancel();
    vi.advanceTimersByTime(500);
    expect(seen).toEqual([]);
  });
});
