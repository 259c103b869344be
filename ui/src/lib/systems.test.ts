import { describe, expect, it } from 'vitest';
import type { PullProgress, SystemResultDto, TaskDto } from '../api';
import { canRerun, errorText, hasRecords, stateText, systemState, type SystemLine } from './systems';

const result = (over: Partial<SystemResultDto>): SystemResultDto => ({
  id: 'crm',
  name: 'Kundenverwaltung',
  status: 'ok',
  records: 3,
  duration_ms: 1234,
  error: null,
  secret: null,
  ...over,
});
const line = (over: Partial<SystemLine>): SystemLine => ({ id: 'crm', name: 'Kundenverwaltung', manual: false, listed: true, result: null, ...over });
const task = (status: string): TaskDto => ({ id: 't1', system_id: 'gmail', kind: 'manual-search', title: 'Gmail', body: '', status });

describe('a system in the case', () => {
  it('says how many records a search found, never its id or timing', () => {
    const s = systemState(line({ result: result({}) }), undefined, []);
    expect(stateText('de', s)).toBe('3 Datensätze');
    expect(stateText('de', systemState(line({ result: result({ records: 1 }) }), undefined, []))).toBe('1 Datensatz');
    expect(stateText('en', s)).toBe('3 records');
    expect(hasRecords(s)).toBe(true);
    expect(canRerun(line({}), s)).toBe(true);
    expect(hasRecords(systemState(line({ result: result({ records: 0 }) }), undefined, []))).toBe(false);
  });

  it('reads a manual system by its task, and never offers to search it again', () => {
    const gmail = line({ id: 'gmail', name: 'Gmail', manual: true, result: result({ id: 'gmail', status: 'manual', records: 0 }) });
    const open = systemState(gmail, undefined, [task('open')]);
    expect(stateText('de', open)).toBe('manuell – Aufgabe offen');
    expect(stateText('en', open)).toBe('manual – task open');
    expect(stateText('de', systemState(gmail, undefined, [task('done')]))).toBe('manuell – erledigt');
    expect(stateText('en', systemState(gmail, undefined, [task('done')]))).toBe('manual – done');
    expect(canRerun(gmail, open)).toBe(false);
    expect(hasRecords(open)).toBe(false);
    const before = systemState(line({ id: 'gmail', manual: true }), undefined, []);
    expect(stateText('de', before)).toBe('manuell – noch keine Aufgabe');
    expect(canRerun(line({ manual: true }), before)).toBe(false);
  });

  it('offers no re-run for a system never searched or no longer in the register', () => {
    const never = systemState(line({}), undefined, []);
    expect(stateText('de', never)).toBe('nicht durchsucht');
    expect(canRerun(line({}), never)).toBe(false);
    const gone = line({ listed: false, result: result({}) });
    expect(canRerun(gone, systemState(gone, undefined, []))).toBe(false);
  });

  it('words a secret problem and keeps other errors as written', () => {
    const missing = systemState(
      line({ result: result({ status: 'error', records: 0, error: "secret 'crm_token' is not set — …", secret: { name: 'crm_token', problem: 'missing' } }) }),
      undefined,
      [],
    );
    expect(stateText('de', missing)).toBe('Fehler');
    expect(errorText('de', missing)).toBe('Die Zugangsdaten „crm_token“ sind nicht hinterlegt.');
    expect(errorText('en', missing)).toBe('The secret crm_token is not set.');
    const refused = systemState(line({ result: result({ status: 'error', error: 'x', secret: { name: 'k', problem: 'not-allowed' } }) }), undefined, []);
    expect(errorText('de', refused)).toBe('Die Zugangsdaten „k“ sind für dieses System nicht freigegeben.');
    const file = systemState(line({ result: result({ status: 'error', error: 'file missing: /x.csv' }) }), undefined, []);
    expect(errorText('de', file)).toBe('file missing: /x.csv');
    expect(canRerun(line({}), file)).toBe(true);
    expect(errorText('de', systemState(line({ result: result({}) }), undefined, []))).toBeNull();
  });

  it('follows a running search live', () => {
    const started: PullProgress = { reference: 'DSAR-2026-0001', system: 'crm', phase: 'started', status: null, records: null };
    expect(stateText('de', systemState(line({}), started, []))).toBe('Suche läuft…');
    const finished: PullProgress = { ...started, phase: 'finished', status: 'ok', records: 7 };
    expect(stateText('de', systemState(line({ result: result({}) }), finished, []))).toBe('7 Datensätze');
  });
});
