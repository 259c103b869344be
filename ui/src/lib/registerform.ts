// The register editor's choices and conversions, kept out of the component so vitest can check
// them: the codes the core accepts for a system's role, legal bases and source
// (src/register/legal.rs, src/letters/words.rs `source`), shown in words; retention periods
// typed in words ("2 Jahre") and stored as ISO 8601 ("P2Y") exactly as src/register/period.rs
// parses them; and the editor's own checks (those of schemas/register.schema.json it can
// know), re-run on every input so a fixed field loses its error at once.

import type { SystemFieldsDto } from '../api';
import { DICTIONARIES, translate, type Key, type Lang } from './i18n';

/** A system's roles (`Role::code`). */
export const ROLES = ['internal', 'processor', 'independent-controller'] as const;

/** The articles legal bases come from, with their points (`LegalBasis::from_str`). */
export const LEGAL_BASIS_GROUPS = [
  { article: 6, para: 1, points: 'abcdef' },
  { article: 9, para: 2, points: 'abcdefghij' },
  { article: 49, para: 1, points: 'abcdefg' },
] as const;

/** Every legal basis code the core accepts, in the order of the law: `art6-1-a` … `art49-1-g`. */
export const LEGAL_BASES: readonly string[] = LEGAL_BASIS_GROUPS.flatMap((g) =>
  [...g.points].map((p) => `art${g.article}-${g.para}-${p}`),
);

/** The source codes letters word for the subject (`words::source`); any other text is kept as written. */
export const SOURCE_CODES = ['data-subject', 'automatic'] as const;

/** Words for a code in `lang` when the dictionary has `prefix + code`, else the code as written. */
function known(lang: Lang, prefix: string, code: string): string {
  const key = `${prefix}${code}`;
  return key in DICTIONARIES.en ? translate(lang, key as Key) : code;
}

/** A role in words: `processor` → "Auftragsverarbeiter (Art. 28)". */
export function roleText(lang: Lang, role: string): string {
  return known(lang, 'reg.role.', role);
}

/** A connector kind in words: `csv` → "CSV-Datei". */
export function connectorText(lang: Lang, kind: string): string {
  return known(lang, 'reg.kind.', kind);
}

/** How the language cites a legal basis: `Art. 6 Abs. 1 lit. b` (de), `Art. 6(1)(b)` (en). */
export function legalBasisCite(lang: Lang, code: string): string | null {
  const m = /^art(\d+)-(\d)-([a-j])$/.exec(code);
  if (!m || !LEGAL_BASES.includes(code)) return null;
  const [, article, para, point] = m;
  return lang === 'de' ? `Art. ${article} Abs. ${para} lit. ${point}` : `Art. ${article}(${para})(${point})`;
}

/** A legal basis with its name: `art6-1-b` → "Art. 6 Abs. 1 lit. b – Vertrag". */
export function legalBasisText(lang: Lang, code: string): string {
  const cite = legalBasisCite(lang, code);
  return cite === null ? code : `${cite} – ${known(lang, 'reg.lb.', code)}`;
}

/** The source as the editor picks it: one of the codes, or `other` with its own text. */
export function sourceChoice(source: string): { choice: string; text: string } {
  const s = source.trim();
  return (SOURCE_CODES as readonly string[]).includes(s) ? { choice: s, text: '' } : { choice: 'other', text: source };
}

/** The stored source of a choice. */
export function sourceValue(choice: string, text: string): string {
  return choice === 'other' ? text.trim() : choice;
}

// --- retention periods ------------------------------------------------------------------

/** An ISO 8601 duration's amounts, in the order the core writes them. */
export interface Period {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

type Unit = keyof Period;
const UNITS: readonly Unit[] = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'];
const DATE_LETTERS: readonly [Unit, string][] = [['years', 'Y'], ['months', 'M'], ['weeks', 'W'], ['days', 'D']];
const TIME_LETTERS: readonly [Unit, string][] = [['hours', 'H'], ['minutes', 'M'], ['seconds', 'S']];
/** The core keeps each amount in a u32. */
const MAX_AMOUNT = 4294967295;

const zero = (): Period => ({ years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 });

/** Parses an ISO 8601 duration as the core does (`P10Y`, `P1Y6M`, `PT12H`); null when it would refuse it. */
export function parseIsoPeriod(text: string): Period | null {
  const m = /^P((?:\d+[YMWD])*)(?:T((?:\d+[HMS])+))?$/.exec(text);
  if (!m) return null;
  const p = zero();
  const fill = (part: string, letters: readonly [Unit, string][]): boolean => {
    let next = 0;
    for (const [, digits, letter] of part.matchAll(/(\d+)([A-Z])/g)) {
      const at = letters.slice(next).findIndex(([, l]) => l === letter);
      if (at < 0) return false;
      const n = Number(digits);
      if (n > MAX_AMOUNT) return false;
      const slot = letters[next + at];
      if (!slot) return false;
      p[slot[0]] = n;
      next += at + 1;
    }
    return true;
  };
  const date = m[1] ?? '';
  const time = m[2];
  if (date === '' && time === undefined) return null;
  if (!fill(date, DATE_LETTERS)) return null;
  if (time !== undefined && !fill(time, TIME_LETTERS)) return null;
  return p;
}

/** The canonical ISO 8601 text of a period, as the core prints it (`P1Y6M`, `P0D`). */
export function isoPeriod(p: Period): string {
  const date = DATE_LETTERS.filter(([u]) => p[u] > 0).map(([u, l]) => `${p[u]}${l}`).join('');
  const time = TIME_LETTERS.filter(([u]) => p[u] > 0).map(([u, l]) => `${p[u]}${l}`).join('');
  if (time !== '') return `P${date}T${time}`;
  return date === '' ? 'P0D' : `P${date}`;
}

/** A period in words: `P2Y` → "2 Jahre", `P1Y6M` → "1 Jahr und 6 Monate"; text that is no period as written. */
export function periodWords(lang: Lang, iso: string): string {
  const p = parseIsoPeriod(iso.trim());
  if (!p) return iso;
  const parts = UNITS.filter((u) => p[u] > 0).map((u) => `${p[u]} ${translate(lang, `period.${u}.${p[u] === 1 ? 'one' : 'many'}` as Key)}`);
  if (parts.length === 0) return `0 ${translate(lang, 'period.days.many')}`;
  const last = parts.pop() ?? '';
  return parts.length === 0 ? last : `${parts.join(', ')} ${translate(lang, 'period.and')} ${last}`;
}

/** Every spelling a unit is typed in, German and English, singular, plural and dative. */
const UNIT_WORDS: Record<string, Unit> = {
  jahr: 'years', jahre: 'years', jahren: 'years', year: 'years', years: 'years',
  monat: 'months', monate: 'months', monaten: 'months', month: 'months', months: 'months',
  woche: 'weeks', wochen: 'weeks', week: 'weeks', weeks: 'weeks',
  tag: 'days', tage: 'days', tagen: 'days', day: 'days', days: 'days',
  stunde: 'hours', stunden: 'hours', hour: 'hours', hours: 'hours',
  minute: 'minutes', minuten: 'minutes', minutes: 'minutes',
  sekunde: 'seconds', sekunden: 'seconds', second: 'seconds', seconds: 'seconds',
};
/** Amounts a DPO writes out ("zwei Jahre", "ein Monat", "ten years"). */
const NUMBER_WORDS: Record<string, number> = {
  ein: 1, eins: 1, eine: 1, einem: 1, einen: 1, einer: 1, zwei: 2, drei: 3, vier: 4, 'fünf': 5, sechs: 6, sieben: 7, acht: 8,
  neun: 9, zehn: 10, elf: 11, 'zwölf': 12, 'dreißig': 30,
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirty: 30,
};

/**
 * A retention period typed in words ("2 Jahre", "zwei Jahre", "1 Jahr und 6 Monate", "30 days") or as ISO
 * 8601 ("P2Y"), as the ISO text the core stores. `''` for an empty field (no period); null
 * when the text is no period.
 */
export function periodFromWords(text: string): string | null {
  const s = text.trim();
  if (s === '') return '';
  const iso = s.toUpperCase();
  if (/^P[0-9YMWDTHS]*$/.test(iso)) {
    const p = parseIsoPeriod(iso);
    return p ? isoPeriod(p) : null;
  }
  const words = s
    .toLowerCase()
    .replace(/[,;+&]/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '' && w !== 'und' && w !== 'and');
  const p = zero();
  const seen = new Set<Unit>();
  let i = 0;
  while (i < words.length) {
    // "2 Jahre", "2Jahre" or "zwei Jahre".
    let amount: number;
    let unitWord: string | undefined;
    const w = words[i] ?? '';
    const glued = /^(\d+)([a-zäöü]+)$/.exec(w);
    if (glued) {
      amount = Number(glued[1]);
      unitWord = glued[2];
      i += 1;
    } else if (/^\d+$/.test(w)) {
      amount = Number(w);
      unitWord = words[i + 1];
      i += 2;
    } else if (w in NUMBER_WORDS) {
      amount = NUMBER_WORDS[w] ?? 0;
      unitWord = words[i + 1];
      i += 2;
    } else {
      return null;
    }
    const unit = unitWord === undefined ? undefined : UNIT_WORDS[unitWord];
    if (unit === undefined || seen.has(unit) || amount > MAX_AMOUNT) return null;
    seen.add(unit);
    p[unit] = amount;
  }
  return seen.size === 0 ? null : isoPeriod(p);
}

/** Periods the editor proposes, in words in `lang` (the ISO text each is stored as). */
export const PERIOD_SUGGESTIONS = ['P30D', 'P3M', 'P6M', 'P1Y', 'P2Y', 'P3Y', 'P6Y', 'P10Y'] as const;

// --- the editor's form ------------------------------------------------------------------

/** What the editor edits: lists as text (one entry a line), the period in words, the source as a choice. */
export interface EditorForm {
  id: string;
  contact_email: string;
  name: string;
  role: string;
  purposes: string;
  data_categories: string;
  recipients: string;
  legal_bases: string[];
  retention: string;
  /** The period as the user reads and types it ("2 Jahre"). */
  retention_period: string;
  source_choice: string;
  source_text: string;
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

/** The form for a system's stored values (`null`: a new manual system), periods in `lang`'s words. */
export function editorForm(lang: Lang, f: SystemFieldsDto | null): EditorForm {
  const source = sourceChoice(f?.source ?? 'data-subject');
  return {
    id: '',
    contact_email: '',
    name: f?.name ?? '',
    role: f?.role ?? 'internal',
    purposes: (f?.purposes ?? []).join('\n'),
    data_categories: (f?.data_categories ?? []).join('\n'),
    recipients: (f?.recipients ?? []).join('\n'),
    legal_bases: [...(f?.legal_bases ?? [])],
    retention: f?.retention ?? '',
    retention_period: f?.retention_period ? periodWords(lang, f.retention_period) : '',
    source_choice: source.choice,
    source_text: source.text,
  };
}

/** What the shell receives (call only when `checkForm` found nothing: the period must parse). */
export function editorFields(form: EditorForm): SystemFieldsDto {
  const period = periodFromWords(form.retention_period) ?? form.retention_period.trim();
  return {
    name: form.name.trim(),
    role: form.role,
    purposes: lines(form.purposes),
    data_categories: lines(form.data_categories),
    recipients: lines(form.recipients),
    // In the order of the law, as the letters list them.
    legal_bases: [...form.legal_bases].sort((a, b) => order(a) - order(b)),
    retention: form.retention.trim(),
    retention_period: period === '' ? null : period,
    source: sourceValue(form.source_choice, form.source_text),
  };
}

const order = (code: string) => {
  const i = LEGAL_BASES.indexOf(code);
  return i < 0 ? LEGAL_BASES.length : i;
};

/** The editor's own problems per field, as dictionary keys (the register schema's rules it can check). */
export function checkForm(form: EditorForm, isNew: boolean): Record<string, Key> {
  const out: Record<string, Key> = {};
  if (isNew) {
    if (form.id.trim() === '') out.id = 'cw.err.required';
    else if (!/^[a-z0-9][a-z0-9_-]*$/.test(form.id.trim())) out.id = 'reg.err.id';
    if (form.contact_email.trim() === '') out.contact_email = 'cw.err.required';
    else if (!/^[^@\s]+@[^@\s]+$/.test(form.contact_email.trim())) out.contact_email = 'reg.err.email';
  }
  if (form.name.trim() === '') out.name = 'cw.err.required';
  if (lines(form.purposes).length === 0) out.purposes = 'reg.err.one_line';
  if (lines(form.data_categories).length === 0) out.data_categories = 'reg.err.one_line';
  if (form.legal_bases.length === 0) out.legal_bases = 'reg.err.legal_basis';
  if (form.retention.trim() === '') out.retention = 'cw.err.required';
  if (periodFromWords(form.retention_period) === null) out.retention_period = 'reg.err.period';
  if (sourceValue(form.source_choice, form.source_text) === '') out.source = 'cw.err.required';
  return out;
}

/** A field's value as compared to when the desk refused it: its message goes once the value changes. */
export function fieldValue(form: EditorForm, field: string): string {
  switch (field) {
    case 'legal_bases':
      return [...form.legal_bases].sort().join(',');
    case 'source':
      return sourceValue(form.source_choice, form.source_text);
    case 'retention_period':
      return periodFromWords(form.retention_period) ?? form.retention_period.trim();
    default: {
      const v = (form as unknown as Record<string, unknown>)[field];
      return typeof v === 'string' ? v.trim() : '';
    }
  }
}
