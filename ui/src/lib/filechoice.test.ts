// Server-side renders of the file choice: what a DPO sees before and after choosing a file.
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import FileChoice from './FileChoice.svelte';

const props = { label: 'Backup file', filters: [], testid: 'restore-path' };

describe('FileChoice', () => {
  it('offers "Choose file…" and says no file is chosen; there is no text field', () => {
    const { body } = render(FileChoice, { props: { ...props, path: '' } });
    expect(body).toContain('data-testid="restore-path-choose"');
    expect(body).toContain('Choose file…');
    expect(body).toMatch(/data-testid="restore-path"[^>]*>No file chosen</);
    expect(body).not.toContain('<input');
    expect(body).not.toContain('restore-path-clear');
  });

  it('shows the chosen file read-only, its name first and its folder under it, and can remove an optional one', () => {
    const { body } = render(FileChoice, { props: { ...props, path: '/home/dpo/Sicherungen/dsar-backup-2026-11-21.db', clearable: true, chooseTestid: 'pick' } });
    expect(body).toContain('data-testid="pick"');
    expect(body).toMatch(/<span class="name[^"]*">dsar-backup-2026-11-21\.db<\/span>/);
    expect(body).toMatch(/<span class="folder[^"]*">\/home\/dpo\/Sicherungen<\/span>/);
    expect(body).toContain('title="/home/dpo/Sicherungen/dsar-backup-2026-11-21.db"');
    expect(body).toContain('data-testid="restore-path-clear"');
    expect(body).toContain('class="field file-choice');
  });
});
