import { describe, expect, it } from 'vitest';
import { PROBLEM_PARAMS } from '../bindings/ProblemParams';
import { toApiError } from '../api';
import { DICTIONARIES, LANGS, placeholders } from './i18n';
import { PROBLEM_CODES, problemKey, problemText, type RegisterProblemDto } from './problems';

// Every code of the core's register problems (src/register/error.rs PROBLEM_CODES, generated
// with their parameters into bindings/ProblemParams.ts).
const problem = (code: string, params: Record<string, string> = {}, path = '/systems/0/purposes'): RegisterProblemDto => ({
  path,
  code,
  params,
  text: 'the core’s English — its fix',
});

describe('register problem labels', () => {
  it('cover the whole generated list', () => {
    expect(PROBLEM_CODES.length).toBeGreaterThan(15);
    expect(PROBLEM_CODES).toContain('field.unknown');
    expect(PROBLEM_CODES).toContain('other');
  });

  it('exist in every language for every code', () => {
    const missing = LANGS.flatMap((lang) =>
      PROBLEM_CODES.filter((c) => !Object.prototype.hasOwnProperty.call(DICTIONARIES[lang], problemKey(c))).map((c) => `${lang}: ${c}`),
    );
    expect(missing).toEqual([]);
  });

  it('name only parameters their code supplies, and leave none unfilled', () => {
    const wrong = LANGS.flatMap((lang) =>
      PROBLEM_CODES.flatMap((c) =>
        placeholders(DICTIONARIES[lang][problemKey(c)])
          .filter((p) => !(PROBLEM_PARAMS[c] ?? []).includes(p))
          .map((p) => `${lang}: ${c} names {${p}}`),
      ),
    );
    expect(wrong).toEqual([]);
    for (const c of PROBLEM_CODES) {
      const params = Object.fromEntries((PROBLEM_PARAMS[c] ?? []).map((p) => [p, 'x']));
      for (const lang of LANGS) expect(problemText(lang, problem(c, params))).not.toMatch(/\{\w+\}/);
    }
  });
});

describe('problemText', () => {
  it('words a problem in German after its place in the file', () => {
    expect(problemText('de', problem('field.unknown', { field: 'purpose' }, '/systems/1/purpose'))).toBe(
      '/systems/1/purpose: Das Feld „purpose“ ist hier nicht vorgesehen — bitte umbenennen (Tippfehler?) oder entfernen.',
    );
    expect(problemText('de', problem('json.invalid', { line: '3', column: '7' }, ''))).toMatch(/^die Datei: Die Datei ist kein gültiges JSON \(Zeile 3, Spalte 7\)/);
    expect(problemText('de', problem('purpose-basis.not-listed', { basis: 'art6-1-f' }))).toMatch(/: Art\. 6 Abs\. 1 lit\. f/);
  });

  it("says a problem without its own code in general words at its place; only English shows the core's detail", () => {
    expect(problemText('de', problem('other'))).toBe(
      '/systems/0/purposes: Dieser Eintrag entspricht nicht dem Format des Verarbeitungsverzeichnisses — bitte anhand der Vorlage prüfen (die genaue technische Meldung zeigt „dsar register import --dry-run“).',
    );
    expect(problemText('de', problem('other'))).not.toMatch(/English/);
    expect(problemText('en', problem('other'))).toBe('/systems/0/purposes: the core’s English — its fix');
    expect(problemText('de', problem('no.such-code'))).toMatch(/^\/systems\/0\/purposes: Dieser Eintrag/);
  });

  it('comes with a refused register from the shell', () => {
    const e = toApiError({
      code: 'invalid-input',
      message: '/systems/0/purposes: must not be empty — fill it in',
      reason: 'register.invalid',
      params: { count: '1' },
      problems: [{ path: '/systems/0/purposes', code: 'value.empty', params: {}, text: 'must not be empty — fill it in' }, { bogus: 1 }],
    });
    expect(e.problems).toEqual([{ path: '/systems/0/purposes', code: 'value.empty', params: {}, text: 'must not be empty — fill it in' }]);
    expect(problemText('de', e.problems[0]!)).toBe('/systems/0/purposes: Darf nicht leer sein — bitte ausfüllen.');
  });
});
