// The current UI language as shared reactive state; `t` re-renders wherever it is used.

import { initialLang, translate, type Key, type Lang } from './i18n';

const STORAGE_KEY = 'dsar-desk.lang';

function stored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Reactive UI settings. */
export const ui = $state<{ lang: Lang }>({
  lang: initialLang(stored(), typeof navigator === 'undefined' ? undefined : navigator.language),
});

/** Switches the UI language and remembers the choice on this machine. */
export function setLang(lang: Lang): void {
  ui.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Storage can be unavailable (private mode); the choice then lasts for the session.
  }
  document.documentElement.lang = lang;
}

/** Translates `key` into the current UI language. */
export function t(key: Key, params?: Readonly<Record<string, string | number>>): string {
  return translate(ui.lang, key, params);
}
