import { describe, expect, it } from 'vitest';
import type { Reason } from '../bindings/Reason';
import { REASON_PARAMS } from '../bindings/ReasonParams';
import { DICTIONARIES, LANGS, placeholders } from './i18n';
import { isReason, reasonKey, reasonText } from './reasons';

// Every code of the closed list (src-tauri/src/reason.rs, generated with its parameters).
const ALL = Object.keys(REASON_PARAMS) as Reason[];

describe('reason labels', () => {
  it('cover the whole generated list', () => {
    expect(ALL.length).toBeGreaterThan(150);
    expect(ALL).toContain('case.not-found');
    expect(ALL).toContain('input.date.malformed');
  });

  it('exist in every language for every reason code', () => {
    const missing = LANGS.flatMap((lang) =>
      ALL.filter((r) => !Object.prototype.hasOwnProperty.call(DICTIONARIES[lang], reasonKey(r))).map((r) => `${lang}: ${r}`),
    );
    expect(missing).toEqual([]);
  });

  it('name only parameters their code supplies', () => {
    const wrong = LANGS.flatMap((lang) =>
      ALL.flatMap((r) =>
        placeholders(DICTIONARIES[lang][reasonKey(r)])
          .filter((p) => !REASON_PARAMS[r].includes(p))
          .map((p) => `${lang}: ${r} names {${p}}`),
      ),
    );
    expect(wrong).toEqual([]);
  });

  it('leave no placeholder unfilled when the parameters come', () => {
    for (const r of ALL) {
      const params = Object.fromEntries(REASON_PARAMS[r].map((p) => [p, 'x']));
      for (const lang of LANGS) expect(reasonText(lang, { message: 'm', reason: r, params })).not.toMatch(/\{\w+\}/);
    }
  });
});

describe('reasonText', () => {
  it('words an error in German from its code and parameters', () => {
    expect(reasonText('de', { message: 'no case X: check the reference', reason: 'case.not-found' })).toMatch(/^Diesen Fall gibt es nicht/);
    expect(reasonText('de', { message: 'm', reason: 'connector.timeout', params: { endpoint: 'db:5432', seconds: '30' } })).toBe(
      'db:5432 hat nicht innerhalb von 30 s geantwortet. Bitte erneut versuchen oder die Wartezeit erhöhen.',
    );
  });

  it('puts codes among the parameters into words', () => {
    const text = reasonText('de', { message: 'm', reason: 'right.not-in-jurisdiction', params: { right: 'erasure', jurisdiction: 'ccpa' } });
    expect(text).not.toContain('erasure');
    expect(text).toContain('CCPA');
  });

  it('shows the message only without a known code, or for a generic code in English', () => {
    expect(reasonText('de', { message: 'core text' })).toBe('core text');
    expect(reasonText('de', { message: 'core text', reason: 'no.such-code' })).toBe('core text');
    expect(reasonText('en', { message: 'name: longer than 300', reason: 'input.invalid', params: { field: 'name' } })).toBe('name: longer than 300');
    expect(reasonText('de', { message: 'name: longer than 300', reason: 'input.invalid', params: { field: 'name' } })).not.toContain('longer');
  });

  it('knows the closed list', () => {
    expect(isReason('store.busy')).toBe(true);
    expect(isReason('toString')).toBe(false);
  });
});

describe('a system that failed in a search', () => {
  it('is worded from its connector reason on the case screen', async () => {
    const { errorText } = await import('./systems');
    const state = { kind: 'error' as const, message: 'timed out after 30 s at db:5432 — try again', secret: null, reason: 'connector.timeout', params: { endpoint: 'db:5432', seconds: '30' } };
    expect(errorText('de', state)).toBe('db:5432 hat nicht innerhalb von 30 s geantwortet. Bitte erneut versuchen oder die Wartezeit erhöhen.');
    expect(errorText('de', { ...state, reason: null, params: {} })).toBe('timed out after 30 s at db:5432 — try again');
  });
});
