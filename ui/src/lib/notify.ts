// The desktop notification of a deadline reminder through the Tauri notification plugin.
// Permission is checked (and asked once) first; any failure of the plugin means "not shown".

import { isPermissionGranted, requestPermission, sendNotification } from '@tauri-apps/plugin-notification';
import { translate, type Lang } from './i18n';
import type { Reminder } from './reminders';

/** Title and body of a reminder: counts only, no names, no references. */
export function reminderText(lang: Lang, r: Reminder): { title: string; body: string } {
  const lines = [
    ...(r.overdue > 0 ? [translate(lang, 'reminder.overdue', { n: r.overdue })] : []),
    ...r.windows.map((w) => translate(lang, 'reminder.within', { n: w.count, days: w.days })),
    ...(r.followUps > 0 ? [translate(lang, 'reminder.follow_ups', { n: r.followUps })] : []),
  ];
  return { title: translate(lang, 'reminder.title'), body: lines.join('\n') };
}

/** Shows the reminder; false when permission is refused or the plugin is unavailable. */
export async function notifyReminder(lang: Lang, r: Reminder): Promise<boolean> {
  try {
    let allowed = await isPermissionGranted();
    if (!allowed) allowed = (await requestPermission()) === 'granted';
    if (!allowed) return false;
    sendNotification(reminderText(lang, r));
    return true;
  } catch {
    return false;
  }
}
