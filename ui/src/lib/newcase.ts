// The New case form's choices that depend on the law: which rights exist under it, which
// holiday calendars (Länder, regions) lie in its territory, the defaults the register's
// controller gives, and the received date as the DPO types it. Mirrors the core
// (src/deadline/region.rs `Jurisdiction::covers`, src/cases `validate_rights`): the form offers
// only what the core accepts.

import { CCPA_RIGHTS, GDPR_RIGHTS } from './codes';
import { isIsoDate } from './dates';
import type { Lang } from './i18n';

/** The laws a case can be opened under. */
export const CASE_JURISDICTIONS = ['gdpr', 'uk-gdpr', 'ccpa'] as const;

/** Their names in the UI language. */
export function jurisdictionName(code: string, lang: Lang): string {
  switch (code) {
    case 'gdpr':
      return lang === 'de' ? 'DSGVO' : 'GDPR';
    case 'uk-gdpr':
      return 'UK GDPR';
    case 'ccpa':
      return 'CCPA';
    case 'lgpd':
      return 'LGPD';
    default:
      return code.toUpperCase();
  }
}

/** The rights that exist under a law: CCPA rights only for a CCPA case, GDPR rights otherwise. */
export function rightsFor(jurisdiction: string): readonly string[] {
  return jurisdiction === 'ccpa' ? CCPA_RIGHTS : GDPR_RIGHTS;
}

/** Every holiday calendar the core knows, in its order: the 16 Länder, then the others. */
const REGIONS: readonly { code: string; de: string; en: string }[] = [
  { code: 'DE-BW', de: 'Baden-Württemberg', en: 'Baden-Württemberg' },
  { code: 'DE-BY', de: 'Bayern', en: 'Bavaria' },
  { code: 'DE-BE', de: 'Berlin', en: 'Berlin' },
  { code: 'DE-BB', de: 'Brandenburg', en: 'Brandenburg' },
  { code: 'DE-HB', de: 'Bremen', en: 'Bremen' },
  { code: 'DE-HH', de: 'Hamburg', en: 'Hamburg' },
  { code: 'DE-HE', de: 'Hessen', en: 'Hesse' },
  { code: 'DE-MV', de: 'Mecklenburg-Vorpommern', en: 'Mecklenburg-Western Pomerania' },
  { code: 'DE-NI', de: 'Niedersachsen', en: 'Lower Saxony' },
  { code: 'DE-NW', de: 'Nordrhein-Westfalen', en: 'North Rhine-Westphalia' },
  { code: 'DE-RP', de: 'Rheinland-Pfalz', en: 'Rhineland-Palatinate' },
  { code: 'DE-SL', de: 'Saarland', en: 'Saarland' },
  { code: 'DE-SN', de: 'Sachsen', en: 'Saxony' },
  { code: 'DE-ST', de: 'Sachsen-Anhalt', en: 'Saxony-Anhalt' },
  { code: 'DE-SH', de: 'Schleswig-Holstein', en: 'Schleswig-Holstein' },
  { code: 'DE-TH', de: 'Thüringen', en: 'Thuringia' },
  { code: 'NL', de: 'Niederlande', en: 'Netherlands' },
  { code: 'GB-ENG', de: 'England und Wales', en: 'England and Wales' },
  { code: 'US-CA', de: 'Kalifornien', en: 'California' },
  { code: 'BR', de: 'Brasilien', en: 'Brazil' },
];

/** Whether a region's calendar lies in a law's territory (as the core's `covers`). */
export function covers(jurisdiction: string, region: string): boolean {
  const country = region.slice(0, 2);
  switch (jurisdiction) {
    case 'gdpr':
      return country === 'DE' || country === 'NL';
    case 'uk-gdpr':
      return region === 'GB-ENG';
    case 'ccpa':
      return region === 'US-CA';
    case 'lgpd':
      return region === 'BR';
    default:
      return false;
  }
}

/** The regions of a law, named in the UI language. */
export function regionsFor(jurisdiction: string, lang: Lang): { code: string; name: string }[] {
  return REGIONS.filter((r) => covers(jurisdiction, r.code)).map((r) => ({ code: r.code, name: r[lang] }));
}

/** The region a case of this law gets when none was chosen: the preferred one (the Settings
 *  default, else the register controller's) when it lies in the law's territory, else the
 *  core's default for the law. */
export function defaultRegion(jurisdiction: string, preferred: (string | null | undefined)[]): string {
  for (const p of preferred) if (p && covers(jurisdiction, p)) return p;
  switch (jurisdiction) {
    case 'uk-gdpr':
      return 'GB-ENG';
    case 'ccpa':
      return 'US-CA';
    case 'lgpd':
      return 'BR';
    default:
      return 'DE-NW';
  }
}

/** The received date as the form shows it: `05.03.2026` in German, `2026-03-05` in English. */
export function showDate(iso: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m || lang !== 'de') return iso;
  return `${m[3]}.${m[2]}.${m[1]}`;
}

/** A typed date as `YYYY-MM-DD`: accepts `5.3.2026`, `05.03.2026` and `2026-03-05`; returns
 *  null for anything else (including 30.02.2026). */
export function parseTypedDate(text: string): string | null {
  const s = text.trim();
  let iso: string | null = null;
  const de = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
  if (de) iso = `${de[3]}-${(de[2] ?? '').padStart(2, '0')}-${(de[1] ?? '').padStart(2, '0')}`;
  else if (/^\d{4}-\d{2}-\d{2}$/.test(s)) iso = s;
  return iso && isIsoDate(iso) ? iso : null;
}
