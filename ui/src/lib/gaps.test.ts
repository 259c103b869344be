import { describe, expect, it } from 'vitest';
import { GAP_PARAMS } from '../bindings/GapParams';
import { DICTIONARIES, LANGS, placeholders } from './i18n';
import { GAP_CODES, gapKey, gapText, lineGap, registerGaps, type GapDto } from './gaps';

// Every code the core can report (src/letters/completeness.rs GAP_CODES and unrecorded.rs
// UNRECORDED_CODES, generated with their parameters into bindings/GapParams.ts).
const gap = (code: string, params: Record<string, string> = {}, system: string | null = 'crm', system_name: string | null = 'Kundenliste'): GapDto => ({
  system,
  system_name,
  field: 'purposes',
  code,
  params,
  text: `system ${system}, purposes: the core's English`,
});

describe('gap labels', () => {
  it('cover the whole generated list', () => {
    expect(GAP_CODES.length).toBeGreaterThan(45);
    expect(GAP_CODES).toContain('purposes');
    expect(GAP_CODES).toContain('translation.source');
    expect(GAP_CODES).toContain('unrecorded.not-verified');
  });

  it('exist in every language for every gap code', () => {
    const missing = LANGS.flatMap((lang) =>
      GAP_CODES.filter((c) => !Object.prototype.hasOwnProperty.call(DICTIONARIES[lang], gapKey(c))).map((c) => `${lang}: ${c}`),
    );
    expect(missing).toEqual([]);
  });

  it('name only parameters their code supplies', () => {
    const wrong = LANGS.flatMap((lang) =>
      GAP_CODES.flatMap((c) =>
        placeholders(DICTIONARIES[lang][gapKey(c)])
          .filter((p) => !(GAP_PARAMS[c] ?? []).includes(p))
          .map((p) => `${lang}: ${c} names {${p}}`),
      ),
    );
    expect(wrong).toEqual([]);
  });

  it('leave no placeholder unfilled and no English in German', () => {
    for (const c of GAP_CODES) {
      const params = Object.fromEntries((GAP_PARAMS[c] ?? []).map((p) => [p, p === 'basis' ? 'art6-1-f' : p.endsWith('language') ? 'en' : 'x']));
      for (const lang of LANGS) expect(gapText(lang, gap(c, params))).not.toMatch(/\{\w+\}/);
      expect(gapText('de', gap(c, params))).not.toContain("the core's English");
    }
  });
});

describe('gapText', () => {
  it('words a register gap with the system name, as a German DPO reads it', () => {
    expect(gapText('de', gap('purposes'))).toBe(
      'Kundenliste: Es ist kein Zweck genannt — bitte im Verarbeitungsverzeichnis angeben, wofür die Daten verarbeitet werden (Art. 15 Abs. 1 lit. a DSGVO).',
    );
    expect(gapText('en', gap('retention'))).toMatch(/^Kundenliste: no storage period or criteria for it — /);
  });

  it("names the controller for the controller's own details, and the id when the name is missing", () => {
    expect(gapText('de', gap('authority.address', {}, null, null))).toMatch(/^Verantwortlicher: Für die Aufsichtsbehörde ist keine Anschrift angegeben/);
    expect(gapText('en', gap('purposes', {}, 'crm', null))).toMatch(/^crm: no purpose is named/);
  });

  it('puts languages, countries and legal bases into words', () => {
    const tr = gapText('de', gap('translation.source', { language: 'en', register_language: 'de' }));
    expect(tr).toBe(
      'Kundenliste: Die Herkunft der Daten fehlt auf Englisch; der Brief würde sie auf Deutsch drucken — bitte im Verzeichnis auf Deutsch und auf Englisch angeben.',
    );
    expect(gapText('en', gap('translation.purposes', { language: 'de', register_language: 'nl' }))).toContain('missing in German: the letter would print them in Dutch');
    expect(gapText('de', gap('transfer-safeguard', { country: 'US' }))).toContain('Drittland (Vereinigte Staaten)');
    expect(gapText('de', gap('recipients-categories-only', { categories: 'IT-Dienstleister, Steuerberater' }))).toContain('(IT-Dienstleister, Steuerberater)');
    const objection = gapText('de', gap('unrecorded.objection-applies', { system: 'shop', basis: 'art6-1-f' }, 'shop', null));
    expect(objection).toMatch(/^Das System shop stützt sich auf Art\. 6 Abs\. 1 lit\. f/);
  });

  it('words what is not recorded without a system prefix', () => {
    expect(gapText('de', gap('unrecorded.not-verified', { system: 'shop' }, 'shop', null))).toBe(
      'Nicht erfasst: Das System shop ist nicht geprüft — unter Maßnahmen auf Prüfen klicken.',
    );
  });

  it('shows a line without a known code as it came', () => {
    expect(gapText('de', lineGap('system payroll, retention.description: no storage period'))).toBe('system payroll, retention.description: no storage period');
    expect(gapText('de', { ...gap('no.such-code'), text: 'core line' })).toBe('core line');
  });

  it('keeps only the register gaps for a final letter', () => {
    expect(registerGaps([gap('unrecorded.refused', { system: 'x' }), gap('purposes')]).map((g) => g.code)).toEqual(['purposes']);
  });
});
