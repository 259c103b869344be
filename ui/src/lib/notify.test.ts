import { describe, expect, it } from 'vitest';
import { notifyReminder, reminderText } from './notify';

describe('reminder notification', () => {
  it('says the counts and the lead times in both languages, one line each', () => {
    const r = { overdue: 2, windows: [{ days: 2, count: 1 }, { days: 7, count: 5 }], followUps: 0 };
    expect(reminderText('en', r).body).toBe('2 overdue\n1 due within 2 days\n5 due within 7 days');
    expect(reminderText('de', r).body).toBe('2 überfällig\n1 fällig in den nächsten 2 Tagen\n5 fällig in den nächsten 7 Tagen');
    expect(reminderText('en', { overdue: 0, windows: [{ days: 7, count: 3 }], followUps: 0 }).body).toBe('3 due within 7 days');
    expect(reminderText('en', r).title).not.toBe(reminderText('de', r).title);
  });

  it('reports "not shown" instead of throwing when the plugin is unavailable', async () => {
    // No Tauri runtime here: the plugin's calls fail, which must not reach the app.
    await expect(notifyReminder('en', { overdue: 1, windows: [], followUps: 0 })).resolves.toBe(false);
  });
});
