import { describe, expect, it } from 'vitest';
import {
  defaultFileName,
  draftFileName,
  draftPathFor,
  emptyForm,
  exportPasswordOk,
  fieldMessages,
  fromForm,
  linesToList,
  refusedGaps,
  suggestId,
  SYSTEM_FIELDS,
  toForm,
  truncate,
} from './casework';

describe('truncate', () => {
  it('keeps short values and cuts long ones at a code point', () => {
    expect(truncate('abc', 5)).toEqual({ text: 'abc', cut: false });
    expect(truncate('abcdef', 3)).toEqual({ text: 'abc…', cut: true });
    expect(truncate('😀😀😀', 2)).toEqual({ text: '😀😀…', cut: true });
  });
});

describe('file names and passwords', () => {
  it('proposes reference-what.ext', () => {
    expect(defaultFileName('DSAR-2026-0042', 'access-response', 'pdf')).toBe('DSAR-2026-0042-access-response.pdf');
    expect(defaultFileName('DSAR-2026-0042', 'export', 'zip')).toBe('DSAR-2026-0042-export.zip');
  });
  it('accepts no password or one of at least ten characters', () => {
    expect(exportPasswordOk('')).toBe(true);
    expect(exportPasswordOk('123456789')).toBe(false);
    expect(exportPasswordOk('1234567890')).toBe(true);
  });
});

describe('fieldMessages', () => {
  it('places each line at its field and keeps the rest', () => {
    const m = fieldMessages(
      'purposes: must not be empty — list one\nlegal_bases: unknown — use art6-1-b\n/controller/email: bad — fix it\npurposes: second',
      SYSTEM_FIELDS,
    );
    expect(m.byField).toEqual({ purposes: ['must not be empty — list one', 'second'], legal_bases: ['unknown — use art6-1-b'] });
    expect(m.other).toEqual(['/controller/email: bad — fix it']);
  });
});

describe('the system form', () => {
  it('round-trips stored values and drops blank lines', () => {
    const dto = {
      name: 'CRM',
      role: 'processor',
      purposes: ['Sales', 'Support'],
      data_categories: ['Name'],
      recipients: [],
      legal_bases: ['art6-1-b'],
      retention: 'Three years',
      retention_period: 'P3Y',
      source: 'data-subject',
    };
    expect(fromForm(toForm(dto))).toEqual(dto);
    const f = { ...toForm(dto), purposes: ' Sales \n\n Support\n', retention_period: ' ' };
    expect(fromForm(f)).toEqual({ ...dto, retention_period: null });
    expect(linesToList('\n \n')).toEqual([]);
    expect(fromForm(emptyForm()).purposes).toEqual([]);
  });
  it('suggests an id the register accepts', () => {
    expect(suggestId('Papier-Archiv (Büro)')).toBe('papier-archiv-buro');
    expect(suggestId('  ')).toBe('');
  });
});

describe('letters refused for register gaps', () => {
  it('lists the gaps from the refusal, one a line after the first', () => {
    const message =
      'gaps: the register has gaps for this access-response letter — fill them in the register, save a draft, or send anyway with a reason:\n' +
      'system payroll, retention.description: no storage period or criteria for it — say how long\n' +
      'register, controller.supervisory_authority.address: the supervisory authority has no address — add it\n';
    expect(refusedGaps(message)).toEqual([
      'system payroll, retention.description: no storage period or criteria for it — say how long',
      'register, controller.supervisory_authority.address: the supervisory authority has no address — add it',
    ]);
    expect(refusedGaps('out_path: the folder does not exist')).toBeNull();
    expect(refusedGaps('This letter confirms what the desk has not recorded: …')).toBeNull();
  });

  it('puts a draft beside the typed letter, never on it', () => {
    expect(draftPathFor('/tmp/a.pdf')).toBe('/tmp/a-draft.pdf');
    expect(draftPathFor(' /tmp/Brief.PDF ')).toBe('/tmp/Brief-draft.PDF');
    expect(draftPathFor('/tmp/a-draft.pdf')).toBe('/tmp/a-draft.pdf');
    expect(draftPathFor('/tmp/letter')).toBe('/tmp/letter-draft.pdf');
    expect(draftFileName('DSAR-2026-0042', 'access-response')).toBe('DSAR-2026-0042-access-response-draft.pdf');
  });
});
