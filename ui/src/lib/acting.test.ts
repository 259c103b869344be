import { describe, expect, it } from 'vitest';
import type { LetterReadinessDto } from '../api';
import {
  actionWord,
  actsOn,
  canRerun,
  canVerify,
  closeFormError,
  confirmSentence,
  lettersFor,
  noticeStatusText,
  planCounts,
  sentFormErrors,
  statusWord,
} from './acting';

const st = (action: string, rows: number) => ({ action, name: action === 'erase' ? 'customers' : 'orders', rows });

// The shop keeps its invoices (restricted), erases the customer; the newsletter file is
// rewritten; the accounting firm is asked by e-mail; a log system holds nothing.
const plan = {
  suppress: false,
  systems: [
    { action: 'retain', statements: [st('restrict', 3), st('erase', 1)] },
    { action: 'erase', statements: [st('erase', 3)] },
    { action: 'task', statements: [] },
    { action: 'none', statements: [] },
  ],
};

describe('planCounts and confirmSentence', () => {
  it('sum the rows each statement changes, and the systems they change, per action', () => {
    expect(planCounts(plan)).toEqual({ eraseRows: 4, eraseSystems: 2, restrictRows: 3, restrictSystems: 1, tasks: 1, suppress: false });
  });

  it('name the counts in the approve dialog, in English and German', () => {
    expect(confirmSentence('en', plan)).toBe('Erase 4 records in 2 systems, restrict 3 records in 1 system, create 1 task to be done by hand.');
    expect(confirmSentence('de', plan)).toBe(
      '4 Datensätze in 2 Systemen löschen, 3 Datensätze in 1 System einschränken, 1 Aufgabe zur Erledigung von Hand anlegen.',
    );
  });

  it('speak in the singular for one record and mention the suppression list', () => {
    const one = { suppress: true, systems: [{ action: 'erase', statements: [st('erase', 1)] }] };
    expect(confirmSentence('en', one)).toBe('Erase 1 record in 1 system, put the subject on the suppression list.');
  });

  it('say so when nothing would change', () => {
    expect(confirmSentence('en', { suppress: false, systems: [{ action: 'none', statements: [] }] })).toBe('Nothing would change.');
  });
});

describe('words for codes', () => {
  it('give every action and status a text, and an unknown code as it is', () => {
    for (const a of ['erase', 'restrict', 'retain', 'suppress', 'task', 'none']) expect(actionWord('de', a)).not.toBe(a);
    for (const s of ['done', 'task', 'error', 'skipped', 'running', 'planned']) expect(statusWord('en', s)).not.toBe(s);
    expect(actionWord('en', 'teleport')).toBe('teleport');
  });
});

describe('what the panel offers', () => {
  it('re-runs failed, skipped, interrupted and unrun systems, never done ones or those with nothing to do', () => {
    expect(canRerun({ status: 'error', action: 'erase' })).toBe(true);
    expect(canRerun({ status: 'skipped', action: 'retain' })).toBe(true);
    expect(canRerun({ status: 'running', action: 'erase' })).toBe(true);
    expect(canRerun({ status: 'planned', action: 'task' })).toBe(true);
    expect(canRerun({ status: 'done', action: 'erase' })).toBe(false);
    expect(canRerun({ status: 'skipped', action: 'none' })).toBe(false);
  });

  it('verifies only once some system changed data', () => {
    expect(canVerify([{ status: 'task', erased_rows: 0, restricted_rows: 0 }])).toBe(false);
    expect(canVerify([{ status: 'error', erased_rows: 2, restricted_rows: 0 }])).toBe(false);
    expect(canVerify([{ status: 'done', erased_rows: 0, restricted_rows: 3 }])).toBe(true);
  });

  it('shows the Actions panel only for rights that change data', () => {
    expect(actsOn(['access'])).toBe(false);
    expect(actsOn(['access', 'erasure'])).toBe(true);
    expect(actsOn(['opt-out'])).toBe(true);
  });

  it('lists the confirmation letters of the case’s rights, and the Art. 19 letter once there are notices', () => {
    const all: LetterReadinessDto[] = [
      'erasure-confirmation',
      'erasure-partial',
      'restriction-confirmation',
      'objection-accepted',
      'rectification-confirmation',
      'recipients-informed',
    ].map((kind) => ({ kind, missing: [] }));
    expect(lettersFor(['erasure'], all, false).map((l) => l.kind)).toEqual(['erasure-confirmation', 'erasure-partial']);
    expect(lettersFor(['restriction', 'access'], all, true).map((l) => l.kind)).toEqual(['restriction-confirmation', 'recipients-informed']);
    expect(lettersFor(['access'], all, false)).toEqual([]);
  });
});

describe('notice forms', () => {
  it('need a real day, not in the future, and how it was sent', () => {
    expect(sentFormErrors('2026-11-21', 'E-Mail', '2026-11-21')).toEqual({});
    expect(sentFormErrors('2026-11-22', 'E-Mail', '2026-11-21')).toEqual({ on: 'new.err.future' });
    expect(sentFormErrors('21.11.2026', ' ', '2026-11-21')).toEqual({ on: 'new.err.received', channel: 'act.notice.err.channel' });
  });

  it('close a notice only with a reason', () => {
    expect(closeFormError('  ')).toBe('act.notice.err.reason');
    expect(closeFormError('Die Kanzlei gibt es nicht mehr.')).toBeNull();
  });

  it('say where a notice stands', () => {
    const n = { status: 'sent', sent_on: '2026-11-21', channel: 'E-Mail', reason: null };
    expect(noticeStatusText('en', n)).toBe('Sent on 21 Nov 2026 by E-Mail');
    expect(noticeStatusText('de', n)).toBe('Gesendet am 21.11.2026 per E-Mail');
    expect(noticeStatusText('en', { ...n, status: 'disproportionate', reason: 'gone' })).toBe('Closed: disproportionate effort — gone');
    expect(noticeStatusText('en', { ...n, status: 'open' })).toBe('Open');
  });
});
