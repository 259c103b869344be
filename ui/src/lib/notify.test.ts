import { describe, expect, it } from 'vitest';
import { notifyReminder, reminderText } from './notify';

describe('reminder notification', () => {
  it('says the counts and the lead time in both languages', () => {
    const r = { overdue: 2, dueSoon: 5, days: 3 };
    expect(reminderText('en', r).body).toBe('2 overdue, 5 due within 3 days');
    expect(reminderText('de', r).body).toBe('2 überfällig, 5 fällig in den nächsten 3 Tagen');
    expect(reminderText('en', r).title).not.toBe(reminderText('de', r).title);
  });

  it('reports "not shown" instead of throwing when the plugin is unavailable', async () => {
    // No Tauri runtime here: the plugin's calls fail, which must not reach the app.
    await expect(notifyReminder('en', { overdue: 1, dueSoon: 0, days: 3 })).resolves.toBe(false);
  });
});
