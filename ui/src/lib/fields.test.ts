import { describe, expect, it } from 'vitest';
import { checkPassphrase, fieldOf, orNull, parseLeadTimes, toLines, validDays } from './fields';

describe('fieldOf', () => {
  const fields = ['name', 'email', 'dpo_email'] as const;
  it('finds the named field and keeps the rest as text', () => {
    expect(fieldOf('dpo_email: not an e-mail address — e.g. dsb@example.org', fields)).toEqual({
      field: 'dpo_email',
      text: 'not an e-mail address — e.g. dsb@example.org',
    });
  });
  it('returns null for a field the form does not have or no field at all', () => {
    expect(fieldOf('host: bad', fields)).toBeNull();
    expect(fieldOf('something broke', fields)).toBeNull();
  });
});

describe('form helpers', () => {
  it('splits address lines and drops blanks', () => {
    expect(toLines(' Hauptstr. 1 \n\n 10115 Berlin\n')).toEqual(['Hauptstr. 1', '10115 Berlin']);
  });
  it('turns blank optional text into null', () => {
    expect(orNull('  ')).toBeNull();
    expect(orNull(' x ')).toBe('x');
  });
  it('checks the passphrase form', () => {
    expect(checkPassphrase('', 'short', 'other', 12)).toEqual({ current: 'pass.empty', new: 'pass.too_short', repeat: 'pass.mismatch' });
    expect(checkPassphrase('old passphrase!', 'old passphrase!', 'old passphrase!', 12)).toEqual({ new: 'pass.same' });
    expect(checkPassphrase('old passphrase!', 'a much better one', 'a much better one', 12)).toEqual({});
  });
  it('accepts whole days from 1 to the maximum', () => {
    expect(validDays(3, 30)).toBe(true);
    expect(validDays(0, 30)).toBe(false);
    expect(validDays(31, 30)).toBe(false);
    expect(validDays(2.5, 30)).toBe(false);
  });
});

describe('parseLeadTimes', () => {
  it('reads days separated by commas or spaces, longest first', () => {
    expect(parseLeadTimes('7, 2', 30)).toEqual([7, 2]);
    expect(parseLeadTimes(' 2 14 ', 30)).toEqual([14, 2]);
    expect(parseLeadTimes('5', 30)).toEqual([5]);
  });
  it('refuses empty, out-of-range, fractional, repeated and too many', () => {
    for (const bad of ['', ' , ', '0', '31', '2.5', '7, 7', '10, 7, 3, 1', 'seven', '-2']) {
      expect(parseLeadTimes(bad, 30), bad).toBeNull();
    }
  });
});
