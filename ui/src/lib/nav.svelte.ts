// Which screen is shown and the case list the user came from, so j/k on a case page walks the
// same list. Plain state instead of a router: the app has one window and no URLs to share.

/** The screens of the app once the desk is unlocked. */
export type Screen = 'dashboard' | 'cases' | 'new-case' | 'case' | 'register';

/** Shared navigation state. */
export const nav = $state<{
  screen: Screen;
  reference: string | null;
  /** References of the case-list page on screen, in display order. */
  listRefs: string[];
  /** Index into listRefs of the highlighted case, -1 for none. */
  selected: number;
  /** Bumped to ask the Cases screen to focus its search box. */
  focusSearch: number;
}>({ screen: 'dashboard', reference: null, listRefs: [], selected: -1, focusSearch: 0 });

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
