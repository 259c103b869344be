import { describe, expect, it } from 'vitest';
import type { SystemFieldsDto } from '../api';
import { DICTIONARIES } from './i18n';
import {
  LEGAL_BASES,
  PERIOD_SUGGESTIONS,
  ROLES,
  SOURCE_CODES,
  checkForm,
  connectorText,
  editorFields,
  editorForm,
  fieldValue,
  isoPeriod,
  legalBasisText,
  parseIsoPeriod,
  periodFromWords,
  periodWords,
  roleText,
  sourceChoice,
} from './registerform';

describe('the codes the core accepts', () => {
  it('offers every legal basis of LegalBasis::from_str and no other', () => {
    expect(LEGAL_BASES).toHaveLength(6 + 10 + 7);
    expect(LEGAL_BASES.slice(0, 2)).toEqual(['art6-1-a', 'art6-1-b']);
    expect(LEGAL_BASES).toContain('art9-2-j');
    expect(LEGAL_BASES).toContain('art49-1-g');
    expect(LEGAL_BASES).not.toContain('art6-1-g');
    expect(LEGAL_BASES).not.toContain('art9-2-k');
  });

  it('names each legal basis, role and source in both languages', () => {
    for (const code of LEGAL_BASES) {
      expect(`reg.lb.${code}` in DICTIONARIES.en, code).toBe(true);
      expect(legalBasisText('de', code)).not.toContain(code);
    }
    for (const r of ROLES) expect(roleText('de', r)).not.toBe(r);
    for (const s of SOURCE_CODES) expect(`reg.source.${s}` in DICTIONARIES.en).toBe(true);
  });

  it('cites a basis the way each language does', () => {
    expect(legalBasisText('de', 'art6-1-b')).toBe('Art. 6 Abs. 1 lit. b – Vertrag');
    expect(legalBasisText('en', 'art6-1-b')).toBe('Art. 6(1)(b) – contract');
    expect(legalBasisText('de', 'art9-2-h')).toBe('Art. 9 Abs. 2 lit. h – Gesundheits- oder Sozialbereich');
    expect(legalBasisText('de', 'art49-1-a')).toBe('Art. 49 Abs. 1 lit. a – ausdrückliche Einwilligung in die Übermittlung');
    // A code the lists do not know is shown as written, not hidden.
    expect(legalBasisText('de', 'art6-1-z')).toBe('art6-1-z');
  });

  it('words roles and connector kinds, unknown ones as written', () => {
    expect(roleText('de', 'processor')).toBe('Auftragsverarbeiter (Art. 28)');
    expect(roleText('en', 'independent-controller')).toBe('Independent controller (recipient)');
    expect(connectorText('de', 'csv')).toBe('CSV-Datei');
    expect(connectorText('de', 'manual')).toBe('Manuell (per E-Mail)');
    expect(connectorText('de', 'ldap')).toBe('ldap');
  });

  it('keeps a source that is no code as its own text', () => {
    expect(sourceChoice('data-subject')).toEqual({ choice: 'data-subject', text: '' });
    expect(sourceChoice('Adresshändler XY')).toEqual({ choice: 'other', text: 'Adresshändler XY' });
  });
});

describe('ISO 8601 periods as src/register/period.rs reads and writes them', () => {
  it('parses and prints canonically', () => {
    for (const [text, canonical] of [
      ['P8Y', 'P8Y'],
      ['P8W', 'P8W'],
      ['P6M', 'P6M'],
      ['P10Y', 'P10Y'],
      ['P1Y6M', 'P1Y6M'],
      ['P30D', 'P30D'],
      ['PT12H', 'PT12H'],
      ['P1DT2H3M4S', 'P1DT2H3M4S'],
      ['P0D', 'P0D'],
      ['P1Y0M', 'P1Y'],
    ]) {
      const p = parseIsoPeriod(text as string);
      expect(p, text).not.toBeNull();
      expect(isoPeriod(p!)).toBe(canonical);
    }
  });

  it('refuses what the core refuses', () => {
    for (const bad of ['', 'P', 'PT', 'P1DT', '8Y', 'P8', 'PY', 'P6M1Y', 'P1Y1Y', 'P1.5Y', 'p1y', 'P1YT', 'P99999999999Y', 'P1Ü']) {
      expect(parseIsoPeriod(bad), bad).toBeNull();
    }
  });
});

describe('retention periods in words', () => {
  it('shows stored periods as words', () => {
    expect(periodWords('de', 'P6M')).toBe('6 Monate');
    expect(periodWords('de', 'P10Y')).toBe('10 Jahre');
    expect(periodWords('de', 'P30D')).toBe('30 Tage');
    expect(periodWords('de', 'P1Y')).toBe('1 Jahr');
    expect(periodWords('de', 'P1Y6M')).toBe('1 Jahr und 6 Monate');
    expect(periodWords('de', 'P1Y2M3D')).toBe('1 Jahr, 2 Monate und 3 Tage');
    expect(periodWords('en', 'P2Y')).toBe('2 years');
    expect(periodWords('en', 'P1W')).toBe('1 week');
    expect(periodWords('en', 'PT12H')).toBe('12 hours');
    expect(periodWords('de', 'P0D')).toBe('0 Tage');
  });

  it('stores what the user types as ISO 8601', () => {
    expect(periodFromWords('2 Jahre')).toBe('P2Y');
    expect(periodFromWords('  2 Jahre ')).toBe('P2Y');
    expect(periodFromWords('1 Jahr und 6 Monate')).toBe('P1Y6M');
    expect(periodFromWords('6 Monate, 1 Jahr')).toBe('P1Y6M');
    expect(periodFromWords('ein Jahr')).toBe('P1Y');
    expect(periodFromWords('zwei Jahre')).toBe('P2Y');
    expect(periodFromWords('Zehn Jahre und sechs Monate')).toBe('P10Y6M');
    expect(periodFromWords('a month')).toBe('P1M');
    expect(periodFromWords('30 Tagen')).toBe('P30D');
    expect(periodFromWords('8 Wochen')).toBe('P8W');
    expect(periodFromWords('10 years')).toBe('P10Y');
    expect(periodFromWords('2years')).toBe('P2Y');
    expect(periodFromWords('P2Y')).toBe('P2Y');
    expect(periodFromWords('p1y6m')).toBe('P1Y6M');
    expect(periodFromWords('')).toBe('');
  });

  it('refuses text that is no period', () => {
    for (const bad of ['bis Vertragsende', 'zwei', '2', 'Jahre', '2 Jahre 3', '1 Jahr und 2 Jahre', '2 Äonen', 'P', 'P6M1Y', '1,5 Jahre']) {
      expect(periodFromWords(bad), bad).toBeNull();
    }
  });

  it('reads back every period it shows, in both languages', () => {
    for (const iso of [...PERIOD_SUGGESTIONS, 'P1Y6M', 'P1Y2M3W4D', 'PT12H', 'P1DT2H3M4S']) {
      expect(periodFromWords(periodWords('de', iso)), iso).toBe(iso);
      expect(periodFromWords(periodWords('en', iso)), iso).toBe(iso);
    }
  });
});

describe('the editor form', () => {
  const stored: SystemFieldsDto = {
    name: 'Kundenliste',
    role: 'internal',
    purposes: ['Verkauf'],
    data_categories: ['Kontaktdaten'],
    recipients: [],
    legal_bases: ['art6-1-f', 'art6-1-b'],
    retention: 'Für die Dauer der Kundenbeziehung',
    retention_period: 'P6M',
    source: 'data-subject',
  };

  it('round-trips stored values, the period through its words', () => {
    const form = editorForm('de', stored);
    expect(form.retention_period).toBe('6 Monate');
    expect(checkForm(form, false)).toEqual({});
    expect(editorFields(form)).toEqual({ ...stored, legal_bases: ['art6-1-b', 'art6-1-f'] });
  });

  it('stores "2 Jahre" as P2Y and no period as null', () => {
    const form = editorForm('de', stored);
    form.retention_period = '2 Jahre';
    expect(editorFields(form).retention_period).toBe('P2Y');
    form.retention_period = '';
    expect(editorFields(form).retention_period).toBeNull();
  });

  it('reports each field the core would refuse, and nothing once it is fixed', () => {
    const form = editorForm('de', null);
    expect(checkForm(form, true)).toEqual({
      id: 'cw.err.required',
      contact_email: 'cw.err.required',
      name: 'cw.err.required',
      purposes: 'reg.err.one_line',
      data_categories: 'reg.err.one_line',
      legal_bases: 'reg.err.legal_basis',
      retention: 'cw.err.required',
    });
    Object.assign(form, {
      id: 'Papier Archiv',
      contact_email: 'archiv',
      name: 'Papierarchiv',
      purposes: '\nBuchhaltung\n',
      data_categories: 'Rechnungen',
      legal_bases: ['art6-1-c'],
      retention: '10 Jahre nach Ende des Geschäftsjahres',
      retention_period: '10 Jahr3',
    });
    expect(checkForm(form, true)).toEqual({ id: 'reg.err.id', contact_email: 'reg.err.email', retention_period: 'reg.err.period' });
    Object.assign(form, { id: 'papierarchiv', contact_email: 'archiv@example.org', retention_period: '10 Jahre' });
    expect(checkForm(form, true)).toEqual({});
    form.source_choice = 'other';
    expect(checkForm(form, true)).toEqual({ source: 'cw.err.required' });
    form.source_text = 'Steuerberater';
    expect(editorFields(form).source).toBe('Steuerberater');
  });

  it('compares a field by what would be stored', () => {
    const form = editorForm('de', stored);
    const before = fieldValue(form, 'retention_period');
    form.retention_period = 'P6M';
    expect(fieldValue(form, 'retention_period')).toBe(before);
    form.retention_period = '7 Monate';
    expect(fieldValue(form, 'retention_period')).not.toBe(before);
    expect(fieldValue(form, 'name')).toBe('Kundenliste');
    expect(fieldValue({ ...form, legal_bases: ['art6-1-f', 'art6-1-b'] }, 'legal_bases')).toBe(fieldValue({ ...form, legal_bases: ['art6-1-b', 'art6-1-f'] }, 'legal_bases'));
  });
});
