import { describe, expect, it } from 'vitest';
import { GDPR_RIGHTS } from './codes';
import { covers, defaultRegion, jurisdictionName, parseTypedDate, regionsFor, rightsFor, showDate } from './newcase';

describe('rights and regions follow the law', () => {
  it('offers CCPA rights only for a CCPA case', () => {
    expect(rightsFor('gdpr')).toEqual(GDPR_RIGHTS);
    expect(rightsFor('uk-gdpr')).toEqual(GDPR_RIGHTS);
    expect(rightsFor('ccpa')).toEqual(['know', 'delete', 'correct', 'opt-out', 'limit']);
    expect(rightsFor('gdpr')).not.toContain('delete');
  });

  it('lists the 16 Länder and the Netherlands for the GDPR, in German names', () => {
    const gdpr = regionsFor('gdpr', 'de');
    expect(gdpr).toHaveLength(17);
    expect(gdpr[0]).toEqual({ code: 'DE-BW', name: 'Baden-Württemberg' });
    expect(gdpr.map((r) => r.code)).toContain('NL');
    expect(regionsFor('gdpr', 'en').find((r) => r.code === 'DE-BY')?.name).toBe('Bavaria');
    expect(regionsFor('uk-gdpr', 'de')).toEqual([{ code: 'GB-ENG', name: 'England und Wales' }]);
    expect(regionsFor('ccpa', 'en')).toEqual([{ code: 'US-CA', name: 'California' }]);
  });

  it("defaults the region to the controller's when it lies in the law's territory", () => {
    expect(defaultRegion('gdpr', [null, 'DE-BW'])).toBe('DE-BW');
    expect(defaultRegion('gdpr', ['DE-BY', 'DE-BW'])).toBe('DE-BY');
    expect(defaultRegion('ccpa', ['DE-BW'])).toBe('US-CA');
    expect(defaultRegion('gdpr', [])).toBe('DE-NW');
    expect(covers('uk-gdpr', 'DE-BW')).toBe(false);
  });

  it('names the laws in the UI language', () => {
    expect(jurisdictionName('gdpr', 'de')).toBe('DSGVO');
    expect(jurisdictionName('gdpr', 'en')).toBe('GDPR');
  });
});

describe('the received date as typed', () => {
  it('shows German dates as TT.MM.JJJJ and reads both spellings', () => {
    expect(showDate('2026-03-05', 'de')).toBe('05.03.2026');
    expect(showDate('2026-03-05', 'en')).toBe('2026-03-05');
    expect(parseTypedDate('05.03.2026')).toBe('2026-03-05');
    expect(parseTypedDate(' 5.3.2026 ')).toBe('2026-03-05');
    expect(parseTypedDate('2026-03-05')).toBe('2026-03-05');
  });

  it('refuses impossible and US-style dates', () => {
    expect(parseTypedDate('30.02.2026')).toBeNull();
    expect(parseTypedDate('03/05/2026')).toBeNull();
    expect(parseTypedDate('')).toBeNull();
  });
});
