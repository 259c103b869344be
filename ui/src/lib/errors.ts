// One place that turns a failed command into what the screen shows, and notices a locked desk.

import { toApiError, type ApiError } from '../api';
import { ui } from './lang.svelte';
import { session } from './nav.svelte';
import { problemText } from './problems';
import { reasonText } from './reasons';

/** The ApiError for `raw`; a `locked` error also sends the app back to the Unlock screen. */
export function handle(raw: unknown): ApiError {
  const e = toApiError(raw);
  if (e.code === 'locked') session.unlocked = false;
  return e;
}

/** What went wrong, in the UI's language (from the error's reason code and parameters). */
export function errorText(e: ApiError): string {
  return reasonText(ui.lang, e);
}

/** `handle` and `errorText` in one: the words for a failed command. */
export function failure(raw: unknown): string {
  return errorText(handle(raw));
}


/**
 * The lines to list for an error: its words, then — for a register with problems — each
 * problem as the core found it (`<pointer>: <problem> — <fix>`), so the place in the file shows.
 */
export function errorLines(e: ApiError): string[] {
  if (e.reason !== 'register.invalid') return [errorText(e)];
  // Each problem in the UI's language from its code; the core's English lines only when no
  // structured problems came.
  const details = e.problems?.length ? e.problems.map((p) => problemText(ui.lang, p)) : e.message.split('\n').filter((l) => l.trim() !== '');
  return [errorText(e), ...details];
}
