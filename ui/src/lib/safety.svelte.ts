// The open desk's safety status (demo or not, idle lock, last backup) as shared state: the
// banner under the title bar reads it, Settings refreshes it after a backup or a new idle time.

import { api, type SafetyDto } from '../api';
import { handle } from './errors';

/** `status` is null while locked or not loaded yet. */
export const safety = $state<{ status: SafetyDto | null }>({ status: null });

/** Reads the status again; a failure leaves the last one (a locked desk clears it). */
export async function refreshSafety(): Promise<void> {
  try {
    safety.status = await api.safetyStatus();
  } catch (raw) {
    if (handle(raw).code === 'locked') safety.status = null;
  }
}

/** Replaces the status with one a command returned. */
export function setSafety(s: SafetyDto): void {
  safety.status = s;
}
