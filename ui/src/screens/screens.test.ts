// Server-side renders of screens whose first paint needs no command: checks what the user
// sees before anything is typed (the DOM-driven flows are for the E2E tests in the window).
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import Unlock from './Unlock.svelte';
import NewCase from './NewCase.svelte';
import { todayIso } from '../lib/dates';
import { CCPA_RIGHTS, GDPR_RIGHTS } from '../lib/codes';

describe('Unlock', () => {
  it('asks for the passphrase twice on first run and offers the demo', () => {
    const { body } = render(Unlock, {
      props: { status: { unlocked: false, db_path: '/data/desk.db', exists: false }, onunlocked: () => {} },
    });
    expect(body).toContain('Create a new desk');
    expect(body).toContain('data-testid="passphrase-confirm"');
    expect(body).toContain('data-testid="open-demo"');
    expect(body).toContain('/data/desk.db');
  });

  it('asks once for an existing desk', () => {
    const { body } = render(Unlock, {
      props: { status: { unlocked: false, db_path: '/data/desk.db', exists: true }, onunlocked: () => {} },
    });
    expect(body).toContain('Unlock the desk');
    expect(body).not.toContain('data-testid="passphrase-confirm"');
  });
});

describe('NewCase', () => {
  it('offers the GDPR rights of a GDPR desk (no CCPA rights) and defaults the received date to today', () => {
    const { body } = render(NewCase);
    for (const r of GDPR_RIGHTS) expect(body).toContain(`data-testid="right-${r}"`);
    for (const r of CCPA_RIGHTS) expect(body).not.toContain(`data-testid="right-${r}"`);
    expect(body).toContain('placeholder="YYYY-MM-DD"');
    expect(body).toMatch(new RegExp(`data-testid="received"[^>]*value="${todayIso()}"|value="${todayIso()}"[^>]*data-testid="received"`));
  });
});
