import { afterEach, describe, expect, it, vi } from 'vitest';

const plugin = vi.hoisted(() => ({ save: vi.fn(), open: vi.fn() }));
vi.mock('@tauri-apps/plugin-dialog', () => plugin);

import { pickOpenPath, pickSavePath, splitPath } from './dialogs';

const g = globalThis as { window?: { __dsarPickerAnswers?: unknown } };

afterEach(() => {
  delete g.window;
  plugin.save.mockReset();
  plugin.open.mockReset();
});

describe('the pickers', () => {
  it('open the native dialog when no answer is queued', async () => {
    g.window = {};
    plugin.save.mockResolvedValue('/home/dpo/Briefe/DSAR-2026-0001-access.pdf');
    plugin.open.mockResolvedValue('/home/dpo/register.json');
    expect(await pickSavePath('DSAR-2026-0001-access.pdf', [{ name: 'PDF', extensions: ['pdf'] }])).toBe('/home/dpo/Briefe/DSAR-2026-0001-access.pdf');
    expect(plugin.save).toHaveBeenCalledWith({ defaultPath: 'DSAR-2026-0001-access.pdf', filters: [{ name: 'PDF', extensions: ['pdf'] }] });
    expect(await pickOpenPath([])).toBe('/home/dpo/register.json');
  });

  it('give null when the user cancels or the dialog fails', async () => {
    g.window = { __dsarPickerAnswers: [] };
    plugin.save.mockResolvedValue(null);
    plugin.open.mockRejectedValue(new Error('no dialog'));
    expect(await pickSavePath('a.pdf', [])).toBeNull();
    expect(await pickOpenPath([])).toBeNull();
  });

  it('take queued answers in order, one per call, without opening a dialog (the E2E seam)', async () => {
    g.window = { __dsarPickerAnswers: ['/tmp/a.pdf', '/tmp/b.json', ''] };
    expect(await pickSavePath('x.pdf', [])).toBe('/tmp/a.pdf');
    expect(await pickOpenPath([])).toBe('/tmp/b.json');
    expect(await pickOpenPath([]), 'an empty answer is a cancel').toBeNull();
    expect(plugin.save).not.toHaveBeenCalled();
    expect(plugin.open).not.toHaveBeenCalled();
    expect(g.window.__dsarPickerAnswers).toEqual([]);
    plugin.open.mockResolvedValue('/real/choice.eml');
    expect(await pickOpenPath([]), 'an emptied queue opens the dialog again').toBe('/real/choice.eml');
  });

  it('ignore a seam that is not a list', async () => {
    g.window = { __dsarPickerAnswers: '/tmp/a.pdf' };
    plugin.save.mockResolvedValue('/chosen.pdf');
    expect(await pickSavePath('x.pdf', [])).toBe('/chosen.pdf');
  });
});

describe('splitPath', () => {
  it('splits a chosen file into its name and its folder', () => {
    expect(splitPath('/home/dpo/Briefe/DSAR-2026-0001-access.pdf')).toEqual({ name: 'DSAR-2026-0001-access.pdf', folder: '/home/dpo/Briefe' });
    expect(splitPath('C:\\Users\\dpo\\register.json')).toEqual({ name: 'register.json', folder: 'C:\\Users\\dpo' });
    expect(splitPath('/backup.db')).toEqual({ name: 'backup.db', folder: '/' });
    expect(splitPath('register.json')).toEqual({ name: 'register.json', folder: '' });
    expect(splitPath('/home/dpo/Ordner mit Leerzeichen/')).toEqual({ name: 'Ordner mit Leerzeichen', folder: '/home/dpo' });
  });
});
