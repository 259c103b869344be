// The native file pickers (Tauri dialog plugin). Each returns null when the user cancels or
// no picker is available (plain browser). There are no typed path fields: every file the
// desk reads or writes is chosen here.
//
// Test seam: WebKitWebDriver cannot reach GTK's native dialogs, so the end-to-end tests put
// the answers a DPO would give into `window.__dsarPickerAnswers` (tests/e2e/harness.mjs,
// `answerPicker`); while that list is non-empty each picker takes its next answer instead of
// opening. Nothing in the app sets it.

import { open, save } from '@tauri-apps/plugin-dialog';

/** A file type offered by a picker. */
export interface Filter {
  name: string;
  extensions: string[];
}

declare global {
  interface Window {
    __dsarPickerAnswers?: unknown;
  }
}

/** The next queued answer, or undefined when none is queued (then the real dialog opens). */
export function queuedAnswer(): string | null | undefined {
  if (typeof window === 'undefined') return undefined;
  const queue = window.__dsarPickerAnswers;
  if (!Array.isArray(queue) || queue.length === 0) return undefined;
  const next: unknown = queue.shift();
  return typeof next === 'string' && next !== '' ? next : null;
}

/** Asks where to write a file, proposing `defaultPath`. */
export async function pickSavePath(defaultPath: string, filters: Filter[]): Promise<string | null> {
  const queued = queuedAnswer();
  if (queued !== undefined) return queued;
  try {
    return (await save({ defaultPath, filters })) ?? null;
  } catch {
    return null;
  }
}

/** Asks for one existing file. */
export async function pickOpenPath(filters: Filter[]): Promise<string | null> {
  const queued = queuedAnswer();
  if (queued !== undefined) return queued;
  try {
    const picked = await open({ multiple: false, directory: false, filters });
    return typeof picked === 'string' ? picked : null;
  } catch {
    return null;
  }
}

/** A chosen file as shown: its name, and the folder it is in (empty for a bare name). */
export function splitPath(path: string): { name: string; folder: string } {
  const trimmed = path.replace(/[\\/]+$/, '');
  const at = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  if (at < 0) return { name: trimmed, folder: '' };
  return { name: trimmed.slice(at + 1), folder: at === 0 ? trimmed.slice(0, 1) : trimmed.slice(0, at) };
}
