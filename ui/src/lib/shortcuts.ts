// Keyboard shortcuts: n new case, / search, j/k next/previous case. Single keys only fire when
// the user is not typing, so they never eat characters from a form.

/** What a shortcut asks the app to do. */
export type ShortcutAction = 'new-case' | 'search' | 'next' | 'previous' | 'open';

/** The parts of a KeyboardEvent that decide the shortcut. */
export interface KeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Tag name of the focused element, upper case as the DOM reports it. */
  targetTag: string;
  targetEditable: boolean;
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** The action for a key press, or null when the key belongs to whatever has focus. */
export function shortcutFor(e: KeyInput): ShortcutAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (TYPING_TAGS.has(e.targetTag) || e.targetEditable) return null;
  switch (e.key) {
    case 'n':
      return 'new-case';
    case '/':
      return 'search';
    case 'j':
      return 'next';
    case 'k':
      return 'previous';
    case 'Enter':
      return 'open';
    default:
      return null;
  }
}

/** The index after moving by `delta` within `length` items, stopping at both ends. */
export function step(index: number, delta: number, length: number): number {
  if (length <= 0) return -1;
  return Math.min(length - 1, Math.max(0, index + delta));
}
