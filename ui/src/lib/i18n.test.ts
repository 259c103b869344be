import { describe, expect, it } from 'vitest';
import { DICTIONARIES, initialLang, placeholders, translate, type Key } from './i18n';

describe('translate', () => {
  it('fills placeholders by name', () => {
    expect(translate('en', 'cases.page', { from: 1, to: 50, total: 1234 })).toBe('1–50 of 1234');
    expect(translate('de', 'cases.page', { from: 1, to: 50, total: 1234 })).toBe('1–50 von 1234');
  });

  it('leaves an unknown placeholder visible rather than printing undefined', () => {
    expect(translate('en', 'days.left', {})).toBe('{n} days left');
  });

  it('gives different German and English text for a screen title', () => {
    expect(translate('de', 'nav.cases')).toBe('Fälle');
    expect(translate('en', 'nav.cases')).toBe('Cases');
  });
});

describe('dictionaries', () => {
  const keys = Object.keys(DICTIONARIES.en) as Key[];

  it('use the same placeholders in German as in English for every key', () => {
    const mismatched = keys.filter(
      (k) => placeholders(DICTIONARIES.en[k]).join() !== placeholders(DICTIONARIES.de[k]).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('have no empty texts', () => {
    const empty = keys.filter((k) => DICTIONARIES.en[k] === '' || DICTIONARIES.de[k] === '');
    expect(empty).toEqual([]);
  });
});

describe('initialLang', () => {
  it('prefers the stored choice, then the system language', () => {
    expect(initialLang('de', 'en-US')).toBe('de');
    expect(initialLang(null, 'de-AT')).toBe('de');
    expect(initialLang(null, 'fr-FR')).toBe('en');
    expect(initialLang('xx', undefined)).toBe('en');
  });
});
