import { describe, expect, it } from 'vitest';
import { answerDayError, asksCorrection, correctionErrors, defaultConfirmed, takesAnswer } from './answers';

describe('takesAnswer', () => {
  it('is offered on open tasks that ask whoever runs a system, never on follow-ups or done tasks', () => {
    expect(takesAnswer({ kind: 'act-by-hand', status: 'open' })).toBe(true);
    expect(takesAnswer({ kind: 'manual-search', status: 'open' })).toBe(true);
    expect(takesAnswer({ kind: 'act-by-hand', status: 'done' })).toBe(false);
    expect(takesAnswer({ kind: 'erase-after', status: 'open' })).toBe(false);
  });
});

describe('defaultConfirmed', () => {
  it('proposes what the case asked for, erasure first; a search by hand found nothing more', () => {
    expect(defaultConfirmed('act-by-hand', ['erasure', 'restriction'])).toBe('erased');
    expect(defaultConfirmed('act-by-hand', ['restriction'])).toBe('restricted');
    expect(defaultConfirmed('act-by-hand', ['limit'])).toBe('restricted');
    expect(defaultConfirmed('act-by-hand', ['rectification'])).toBe('rectified');
    expect(defaultConfirmed('act-by-hand', ['objection'])).toBe('erased');
    expect(defaultConfirmed('manual-search', ['erasure'])).toBe('nothing-held');
  });
});

describe('answerDayError', () => {
  it('wants a real day that is not in the future', () => {
    expect(answerDayError('2026-11-19', '2026-11-21')).toBeNull();
    expect(answerDayError(' 2026-11-21 ', '2026-11-21')).toBeNull();
    expect(answerDayError('2026-11-22', '2026-11-21')).toBe('new.err.future');
    expect(answerDayError('19.11.2026', '2026-11-21')).toBe('new.err.received');
    expect(answerDayError('2026-02-30', '2026-11-21')).toBe('new.err.received');
  });
});

describe('corrections', () => {
  it('are asked for by rectification (GDPR) and correct (CCPA)', () => {
    expect(asksCorrection(['access', 'rectification'])).toBe(true);
    expect(asksCorrection(['correct'])).toBe(true);
    expect(asksCorrection(['erasure'])).toBe(false);
  });

  it('need what is corrected and a new value that differs from the old', () => {
    expect(correctionErrors({ field: 'Anschrift', old: 'Alte Straße 1', new: 'Neue Straße 2' })).toEqual({});
    expect(correctionErrors({ field: 'Anschrift', old: '', new: 'Neue Straße 2' })).toEqual({});
    expect(correctionErrors({ field: ' ', old: 'a', new: ' ' })).toEqual({ field: 'cor.err.field', new: 'cor.err.new' });
    expect(correctionErrors({ field: 'Name', old: 'Muster ', new: ' Muster' })).toEqual({ new: 'cor.err.same' });
  });
});
