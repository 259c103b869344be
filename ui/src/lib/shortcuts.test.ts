import { describe, expect, it } from 'vitest';
import { shortcutFor, step, type KeyInput } from './shortcuts';

function key(k: string, over: Partial<KeyInput> = {}): KeyInput {
  return { key: k, ctrlKey: false, metaKey: false, altKey: false, targetTag: 'BODY', targetEditable: false, ...over };
}

describe('shortcutFor', () => {
  it('maps the single-key shortcuts', () => {
    expect(shortcutFor(key('n'))).toBe('new-case');
    expect(shortcutFor(key('/'))).toBe('search');
    expect(shortcutFor(key('j'))).toBe('next');
    expect(shortcutFor(key('k'))).toBe('previous');
    expect(shortcutFor(key('x'))).toBeNull();
  });

  it('never fires while the user types in a field', () => {
    for (const tag of ['INPUT', 'TEXTAREA', 'SELECT']) {
      expect(shortcutFor(key('n', { targetTag: tag }))).toBeNull();
    }
    expect(shortcutFor(key('j', { targetTag: 'DIV', targetEditable: true }))).toBeNull();
  });

  it('leaves modified keys to the system (Ctrl+N, Cmd+K)', () => {
    expect(shortcutFor(key('n', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('k', { metaKey: true }))).toBeNull();
  });
});

describe('step', () => {
  it('moves within the list and stops at both ends', () => {
    expect(step(-1, 1, 3)).toBe(0);
    expect(step(1, 1, 3)).toBe(2);
    expect(step(2, 1, 3)).toBe(2);
    expect(step(0, -1, 3)).toBe(0);
    expect(step(0, 1, 0)).toBe(-1);
  });
});
