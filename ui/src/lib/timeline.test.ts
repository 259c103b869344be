import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../api';
import { actorLabel, describe as say, formatInstant, rawDetails } from './timeline';

let seq = 0;
const ev = (action: string, details: unknown): TimelineEvent => ({
  seq: ++seq,
  at: '2026-11-21T10:05:00Z',
  actor: 'app:anna',
  action,
  details: typeof details === 'string' ? details : JSON.stringify(details),
});
const names: Record<string, string> = { shop: 'Webshop', newsletter: 'Newsletter', accounting: 'Buchhaltung' };
const name = (id: string) => names[id] ?? id;

const PLAN = 'ab'.repeat(32);
const shopActed = ev('system.acted', {
  reference: 'DSAR-2026-0001',
  plan: PLAN,
  system: 'shop',
  action: 'retain',
  status: 'done',
  rows: 4,
  resumed: false,
  retained_until: '2034-12-31',
  statements: [
    { name: 'orders', action: 'restrict', rows: 3 },
    { name: 'customers', action: 'erase', rows: 1 },
  ],
});
const newsletterActed = ev('system.acted', {
  plan: PLAN,
  system: 'newsletter',
  action: 'erase',
  status: 'done',
  rows: 3,
  retained_until: null,
  statements: [{ name: 'newsletter.csv', action: 'erase', rows: 3 }],
});
const accountingActed = ev('system.acted', { plan: PLAN, system: 'accounting', action: 'task', status: 'task', rows: 0, statements: [] });
const acted = ev('case.acted', {
  plan: PLAN,
  cancelled: false,
  suppressed: 0,
  notices: 1,
  systems: [
    { id: 'shop', status: 'done', rows: 4 },
    { id: 'newsletter', status: 'done', rows: 3 },
    { id: 'accounting', status: 'task', rows: 0 },
  ],
});
const timeline = [ev('plan.approved', { plan: PLAN, rows: 7, systems: 3 }), shopActed, newsletterActed, accountingActed, acted];

describe('the timeline in words', () => {
  it('sums a run: erased, restricted with the datasets and until when, tasks, notices', () => {
    expect(say(acted, timeline, 'en', name).text).toBe(
      'Erased 4 records in 2 systems · restricted 3 records (orders) until 31 Dec 2034 · 1 task by hand · 1 recipient to inform',
    );
    expect(say(acted, timeline, 'de', name).text).toBe(
      '4 Datensätze in 2 Systemen gelöscht · 3 Datensätze (orders) bis 31.12.2034 eingeschränkt · 1 Aufgabe von Hand · 1 Empfänger zu informieren',
    );
  });

  it('sums only the systems of this run, not those of an earlier one', () => {
    const rerunShop = { ...shopActed, seq: 100 };
    const rerun = { ...acted, seq: 101, details: JSON.stringify({ plan: PLAN, cancelled: false, notices: 0, systems: [{ id: 'shop', status: 'done', rows: 4 }] }) };
    const text = say(rerun, [...timeline, rerunShop, rerun], 'en', name).text;
    expect(text).toBe('Erased 1 record in 1 system · restricted 3 records (orders) until 31 Dec 2034');
  });

  it('writes each system of a run as a minor step with its name', () => {
    expect(say(shopActed, timeline, 'en', name)).toEqual({ text: 'Webshop: erased 1 record, restricted 3 records (orders) until 31 Dec 2034', minor: true });
    expect(say(accountingActed, timeline, 'de', name).text).toBe('Buchhaltung: von Hand zu erledigen (Aufgabe)');
    const failed = ev('system.acted', { plan: PLAN, system: 'shop', status: 'error', rows: 0, statements: [] });
    expect(say(failed, [], 'en', name).text).toBe('Webshop: failed, nothing changed');
  });

  it('says what a plan would do', () => {
    const planned = ev('case.planned', {
      plan: PLAN,
      rows: 7,
      suppress: false,
      systems: [
        { id: 'shop', action: 'retain', records: 4, retained_until: '2034-12-31', statements: [{ name: 'orders', action: 'restrict', rows: 3 }, { name: 'customers', action: 'erase', rows: 1 }], error: false },
        { id: 'newsletter', action: 'erase', records: 3, statements: [{ name: 'n.csv', action: 'erase', rows: 3 }], error: false },
      ],
    });
    expect(say(planned, [], 'en', name).text).toBe('Plan made: erase 4 records in 2 systems, restrict 3 records in 1 system');
    expect(say(ev('plan.approved', { rows: 7 }), [], 'en', name).text).toBe('Plan approved: 7 records to change');
  });

  it('says how a pull, a verification, a notice and a letter went', () => {
    const pulled = ev('case.pulled', {
      selection: 'all',
      cancelled: false,
      systems: [
        { id: 'a', status: 'ok', records: 5 },
        { id: 'b', status: 'ok', records: 7 },
        { id: 'c', status: 'error', records: 0 },
      ],
    });
    expect(say(pulled, [], 'en', name).text).toBe('Searched 3 systems: 12 records found · 1 system failed');
    expect(say(ev('case.verified', { systems: [{ id: 'shop', ok: true }, { id: 'newsletter', ok: true }] }), [], 'en', name).text).toBe(
      'Verified 2 systems: erased data gone, restricted data flagged',
    );
    expect(say(ev('case.verified', { systems: [{ id: 'shop', ok: false, records: 2 }] }), [], 'de', name).text).toBe('1 System geprüft: noch Daten in Webshop');
    expect(say(ev('notice.updated', { system: 'shop', status: 'sent' }), [], 'en', name).text).toBe('Recipient of Webshop informed');
    expect(say(ev('letter.saved', { kind: 'erasure-partial', language: 'de', gaps: 0 }), [], 'en', name).text).toBe('Letter saved: Partial erasure (DE)');
    const accepted = ev('letter.saved', { kind: 'access-response', language: 'de', gaps: 1, gaps_accepted: 'Lohnbüro klärt die Frist', gap_fields: ['payroll:retention.description'] });
    expect(say(accepted, [], 'en', name).text).toBe('Letter saved: Access response (DE) · register gaps accepted: Lohnbüro klärt die Frist');
    expect(say(accepted, [], 'de', name).text).toBe('Brief gespeichert: Auskunft (DE) · Lücken im Verarbeitungsverzeichnis akzeptiert: Lohnbüro klärt die Frist');
    expect(say(ev('task.answered', { system: 'shop', confirmed: 'erased', answered_on: '2026-11-19' }), [], 'en', name).text).toBe(
      'Answer recorded for Webshop (19 Nov 2026): erased',
    );
    expect(say(ev('document.saved', { kind: 'processor-reply', bytes: 900 }), [], 'en', name).text).toBe('Document stored: Reply to a task (1 KB)');
    expect(say(ev('document.saved', { kind: 'bundle', bytes: 20480 }), [], 'en', name).text).toBe('Export bundle stored (20 KB)');
    expect(say(ev('case.created', { rights: ['erasure'], channel: 'email', received: '2026-11-10', due: '2026-12-10' }), [], 'en', name).text).toBe(
      'Case created: Erasure · received 10 Nov 2026 (E-mail) · due 10 Dec 2026',
    );
  });

  it('never fails on details it does not know: the action is named', () => {
    expect(say(ev('case.frobnicated', 'not json'), [], 'en', name).text).toBe('Event: case.frobnicated');
    expect(say(ev('letter.saved', { kind: 'love-letter', language: 'en' }), [], 'en', name).text).toBe('Letter saved: Love letter (EN)');
    expect(say(ev('case.pulled', 'not json'), [], 'en', name).text).toBe('Searched 0 systems: 0 records found');
    expect(rawDetails(ev('x', 'not json'))).toBe('not json');
    expect(rawDetails(ev('x', { a: 1 }))).toBe('{\n  "a": 1\n}');
  });
});

describe('who and when', () => {
  it('names the account and where it acted', () => {
    expect(actorLabel('en', 'app:anna')).toBe('anna (app)');
    expect(actorLabel('de', 'cli:anna')).toBe('anna (Kommandozeile)');
    expect(actorLabel('en', 'system')).toBe('system');
  });

  it('shows an instant as the local day and time', () => {
    const at = '2026-11-21T10:05:00Z';
    const d = new Date(at);
    const hhmm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    expect(formatInstant(at, 'de')).toMatch(new RegExp(`^\\d{2}\\.11\\.2026, ${hhmm}$`));
    expect(formatInstant('yesterday', 'en')).toBe('yesterday');
  });
});
