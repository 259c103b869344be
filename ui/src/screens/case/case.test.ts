// Server-side renders of the case screen's parts from given data: which controls each state
// offers (the DOM-driven flows are for the E2E tests in the window).
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import type { CaseDetail, NoticeDto, SystemRow, TaskDto } from '../../api';
import Tasks from './Tasks.svelte';
import Letters from './Letters.svelte';
import Export from './Export.svelte';
import Notice from './Notice.svelte';
import Answer from './Answer.svelte';
import Corrections from './Corrections.svelte';

const task = (id: string, status: string, body: string): TaskDto => ({
  id,
  system_id: 'paper',
  kind: 'manual-search',
  title: `Search ${id}`,
  body,
  status,
});

function detail(): CaseDetail {
  return {
    reference: 'DSAR-2026-0042',
    status: 'in-progress',
    rights: ['access'],
    channel: 'email',
    received: '2026-11-02',
    jurisdiction: 'gdpr',
    region: 'de-be',
    language: 'de',
    subject: { name: 'Erika Muster', address: [], identifiers: [] },
    deadline: {
      due: '2026-12-02',
      extension_notice_by: null,
      extended_due: null,
      acknowledge_by: null,
      effective_due: '2026-12-02',
      clock_stopped_since: null,
      days_left_calendar: 11,
      days_left_working: 8,
      explanation: [],
    },
    extended_on: null,
    extension_reason: null,
    outcome: null,
    closed_on: null,
    systems: [],
    tasks: [],
    documents: [
      { id: 'd1', kind: 'access-response', language: 'de', file_name: 'a.pdf', bytes: 2048, created_at: '2026-11-20T10:00:00Z', sent_at: null },
      { id: 'd2', kind: 'access-response', language: 'de', file_name: 'a.eml', bytes: 4096, created_at: '2026-11-20T10:00:00Z', sent_at: '2026-11-20T10:00:01Z' },
    ],
    timeline: [],
  };
}

describe('Tasks', () => {
  it('offers "mark done" only on open tasks and a copy button with each e-mail body', () => {
    const { body } = render(Tasks, {
      props: { reference: 'DSAR-2026-0042', tasks: [task('t1', 'open', 'Dear processor'), task('t2', 'done', '')], rights: ['access'], closed: false, onchange: () => {} },
    });
    expect(body).toContain('data-testid="task-done-t1"');
    expect(body).not.toContain('data-testid="task-done-t2"');
    expect(body).toContain('data-testid="task-copy-t1"');
    expect(body).not.toContain('data-testid="task-copy-t2"');
    expect(body).toContain('Dear processor');
  });

  it('offers "record the answer" on open tasks that ask whoever runs a system, and nowhere else', () => {
    const followUp: TaskDto = { ...task('t3', 'open', 'Erase it then.'), kind: 'erase-after' };
    const byHand: TaskDto = { ...task('t4', 'open', 'Please erase'), kind: 'act-by-hand' };
    const props = { reference: 'DSAR-2026-0042', tasks: [task('t1', 'open', ''), task('t2', 'done', ''), followUp, byHand], rights: ['erasure'], onchange: () => {} };
    const { body } = render(Tasks, { props: { ...props, closed: false } });
    expect(body).toContain('data-testid="task-answer-t1"');
    expect(body).toContain('data-testid="task-answer-t4"');
    expect(body).not.toContain('data-testid="task-answer-t2"');
    expect(body).not.toContain('data-testid="task-answer-t3"');
    // The form opens on the button; nothing is asked before.
    expect(body).not.toContain('data-testid="answer-form-t4"');
    expect(render(Tasks, { props: { ...props, closed: true } }).body).not.toContain('data-testid="task-answer-t4"');
  });
});

describe('Answer', () => {
  it('asks for the day, what was confirmed (proposed from the rights), a note and the reply file', () => {
    const byHand: TaskDto = { ...task('t4', 'open', 'Please restrict'), kind: 'act-by-hand' };
    const { body } = render(Answer, { props: { reference: 'DSAR-2026-0042', task: byHand, rights: ['restriction'], onchange: () => {}, oncancel: () => {} } });
    for (const id of ['answer-on-t4', 'answer-confirmed-t4', 'answer-note-t4', 'answer-reply-t4', 'answer-reply-pick-t4', 'answer-save-t4'])
      expect(body).toContain(`data-testid="${id}"`);
    expect(body).toMatch(/<option value="restricted" selected/);
    for (const c of ['erased', 'restricted', 'rectified', 'nothing-held', 'refused']) expect(body).toContain(`value="${c}"`);
  });
});

describe('Corrections', () => {
  it('offers the register systems or "wherever held", what, old and new', () => {
    const systems: SystemRow[] = [{ id: 'shop', name: 'Webshop', role: 'internal', connector: 'sqlite' }];
    const { body } = render(Corrections, { props: { reference: 'DSAR-2026-0042', systems, closed: false, onchange: async () => {} } });
    for (const id of ['correction-system', 'correction-field', 'correction-old', 'correction-new', 'correction-add']) expect(body).toContain(`data-testid="${id}"`);
    expect(body).toContain('<option value="shop">Webshop</option>');
    expect(body).toMatch(/Wherever the data is held|Überall, wo die Daten gespeichert sind/);
  });

  it('has no form on a closed case', () => {
    const { body } = render(Corrections, { props: { reference: 'DSAR-2026-0042', systems: [], closed: true, onchange: async () => {} } });
    expect(body).not.toContain('data-testid="correction-add"');
  });
});

describe('Letters', () => {
  it('offers preview, save-as, send and .eml, no path fields, and marks sent documents with the UI\'s date', () => {
    const { body } = render(Letters, { props: { detail: detail(), onchange: async () => {} } });
    for (const id of ['letter-preview', 'save-letter', 'save-draft', 'send-letter', 'save-eml', 'document-d1', 'document-open-d1', 'document-open-d2'])
      expect(body).toContain(`data-testid="${id}"`);
    // Files are chosen in the native Save-as dialog the buttons open: no typed paths.
    expect(body).not.toContain('data-testid="letter-path"');
    expect(body).not.toContain('data-testid="eml-path"');
    expect(body).toContain('Save letter as…');
    expect(body).toContain('data-testid="document-sent-d2"');
    const sent = /data-testid="document-sent-d2">([^<]*)</.exec(body)?.[1] ?? '';
    expect(sent).toMatch(/^sent \d{1,2} Nov 2026, \d\d:\d\d$/);
    expect(body).not.toContain('data-testid="document-sent-d1"');
    expect(body).not.toContain('data-testid="letter-preview-body"');
    // The gaps are shown once a final letter is refused for them, not before.
    expect(body).not.toContain('data-testid="letter-gap-block"');
  });
});

describe('Export', () => {
  it('has a save-as button, a password field and no path field or result before exporting', () => {
    const { body } = render(Export, { props: { reference: 'DSAR-2026-0042', onchange: async () => {} } });
    expect(body).toContain('Save bundle as…');
    expect(body).not.toContain('data-testid="export-path"');
    expect(body).toContain('data-testid="export-password"');
    expect(body).not.toContain('data-testid="export-result"');
  });
});

const notice = (status: string): NoticeDto => ({
  id: 'n1',
  system_id: 'shop',
  system_name: 'Webshop',
  recipient: 'Steuerberatung Kunz & Partner',
  kind: 'recipient-notice',
  action: 'erase',
  status,
  sent_on: status === 'sent' ? '2026-11-21' : null,
  channel: status === 'sent' ? 'E-Mail' : null,
  reason: null,
  letter_title: 'Löschung — Steuerberatung Kunz & Partner',
  letter_text: 'Sehr geehrte Damen und Herren, …',
});

describe('Notice', () => {
  it('offers "mark sent" with day and channel and "close" while open, and the ready letter', () => {
    const { body } = render(Notice, { props: { reference: 'DSAR-2026-0042', notice: notice('open'), closed: false, onchange: async () => {} } });
    for (const id of ['notice-date-n1', 'notice-channel-n1', 'notice-sent-n1', 'notice-close-n1', 'notice-letter-n1', 'notice-copy-n1'])
      expect(body).toContain(`data-testid="${id}"`);
    expect(body).toContain('Sehr geehrte Damen und Herren');
  });

  it('once sent, shows when and how and offers nothing more to record', () => {
    const { body } = render(Notice, { props: { reference: 'DSAR-2026-0042', notice: notice('sent'), closed: false, onchange: async () => {} } });
    expect(body).not.toContain('data-testid="notice-sent-n1"');
    expect(body).not.toContain('data-testid="notice-close-n1"');
    expect(body).toMatch(/Sent on 21 Nov 2026 by E-Mail|Gesendet am 21\.11\.2026 per E-Mail/);
  });
});
