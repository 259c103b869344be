// The native file pickers (Tauri dialog plugin). Each returns null when the user cancels or
// no picker is available (plain browser): the screens keep a typed path field as fallback.

import { open, save } from '@tauri-apps/plugin-dialog';

/** A file type offered by a picker. */
export interface Filter {
  name: string;
  extensions: string[];
}

/** Asks where to write a file, proposing `defaultPath`. */
export async function pickSavePath(defaultPath: string, filters: Filter[]): Promise<string | null> {
  try {
    return (await save({ defaultPath, filters })) ?? null;
  } catch {
    return null;
  }
}

/** Asks for one existing file. */
export async function pickOpenPath(filters: Filter[]): Promise<string | null> {
  try {
    const picked = await open({ multiple: false, directory: false, filters });
    return typeof picked === 'string' ? picked : null;
  } catch {
    return null;
  }
}
