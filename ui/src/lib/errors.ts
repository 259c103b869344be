// One place that turns a failed command into what the screen shows, and notices a locked desk.

import { toApiError, type ApiError } from '../api';
import { session } from './nav.svelte';

/** The ApiError for `raw`; a `locked` error also sends the app back to the Unlock screen. */
export function handle(raw: unknown): ApiError {
  const e = toApiError(raw);
  if (e.code === 'locked') session.unlocked = false;
  return e;
}
