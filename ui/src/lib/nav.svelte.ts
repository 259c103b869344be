// Which screen is shown and the case list the user came from, so j/k on a case page walks the
// same list. Plain state instead of a router: the app has one window and no URLs to share.

/** The screens of the app once the desk is unlocked. */
export type Screen = 'dashboard' | 'inbox' | 'cases' | 'new-case' | 'case' | 'register' | 'settings';

/** Shared navigation state. */
export const nav = $state<{
  screen: Screen;
  reference: string | null;
  /** References of the case-list page on screen, in display order. */
  listRefs: string[];
  /** Index into listRefs of the highlighted case, -1 for none. */
  selected: number;
}>({ screen: 'dashboard', reference: null, listRefs: [], selected: -1 });

/** Shows one case. */
export function openCase(reference: string): void {
  nav.reference = reference;
  nav.screen = 'case';
  const i = nav.listRefs.indexOf(reference);
  if (i >= 0) nav.selected = i;
}

/** Shows a screen without a case. */
export function go(screen: Exclude<Screen, 'case'>): void {
  nav.screen = screen;
}

/** Whether the desk is open; a `locked` error from any command sends the user back to Unlock. */
export const session = $state<{ unlocked: boolean }>({ unlocked: false });

/** Filters of the Cases screen, kept here so they survive opening a case and coming back. */
export const caseFilters = $state<{
  status: string;
  right: string;
  openOnly: boolean;
  overdueOnly: boolean;
  sort: 'due' | 'received' | 'reference';
  /** Which way the order runs; '' is the order's natural way (set by a column header). */
  direction: '' | 'asc' | 'desc';
  search: string;
  offset: number;
}>({ status: '', right: '', openOnly: true, overdueOnly: false, sort: 'due', direction: '', search: '', offset: 0 });

/** Set by the `/` shortcut; the Cases screen focuses its search box and clears it. */
export const searchRequest = $state<{ pending: boolean }>({ pending: false });
