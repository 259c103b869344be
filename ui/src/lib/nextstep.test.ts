import { describe, expect, it } from 'vitest';
import { answered, nextStep, type NextStepInput } from './nextstep';

const base: NextStepInput = { status: 'new', systems: [], tasks: [], timeline: [], documents: [] };
const system = { id: 'crm', name: 'CRM', status: 'ok', records: 3, duration_ms: 5, error: null };
const manualTask = { id: 't1', system_id: 'paper', kind: 'manual-search', title: 'Akten', body: '', status: 'open' };
const letter = (kind: string, action = 'letter.saved') => ({ seq: 9, at: '2026-11-20T10:00:00Z', actor: 'app:anna', action, details: JSON.stringify({ kind }) });

describe('the next step of a case', () => {
  it('walks search → answer → close', () => {
    expect(nextStep(base)).toBe('search');
    const searched = { ...base, status: 'in-progress', systems: [system] };
    expect(nextStep(searched)).toBe('answer');
    expect(nextStep({ ...searched, timeline: [letter('access-response')] })).toBe('close');
  });

  it('asks for the answers of systems searched by hand before the answer', () => {
    const c = { ...base, status: 'in-progress', systems: [system], tasks: [manualTask] };
    expect(nextStep(c)).toBe('tasks');
    expect(nextStep({ ...c, tasks: [{ ...manualTask, status: 'done' }] })).toBe('answer');
  });

  it('does not count an acknowledgement or an identity request as the answer', () => {
    expect(answered({ timeline: [letter('acknowledgement'), letter('identity-request', 'letter.sent')], documents: [] })).toBe(false);
    expect(nextStep({ ...base, timeline: [letter('acknowledgement')] })).toBe('search');
    expect(answered({ timeline: [], documents: [{ id: 'd', kind: 'refusal', language: 'de', file_name: 'x.pdf', bytes: 1, created_at: '', sent_at: '2026-11-20T10:00:00Z' }] })).toBe(true);
  });

  it('waits while the clock is stopped and says when the case is closed', () => {
    expect(nextStep({ ...base, status: 'awaiting-identity' })).toBe('wait-identity');
    expect(nextStep({ ...base, status: 'awaiting-clarification', systems: [system] })).toBe('wait-clarification');
    expect(nextStep({ ...base, status: 'closed', systems: [system] })).toBe('closed');
  });
});
