// Words what a letter lacks — the register's gaps and what the desk has not recorded — in the
// UI's language from each gap's code and parameters (GapDto; the codes with their parameters
// are generated into bindings/GapParams.ts from the core's GAP_CODES and UNRECORDED_CODES), so
// the German window never shows the core's English sentences. A line without a known code (a
// refusal's own text, when nothing structured came) is shown as it is.

import type { GapDto } from '../bindings/GapDto';
import { GAP_PARAMS } from '../bindings/GapParams';
import { DICTIONARIES, translate, type Key, type Lang } from './i18n';
import { legalBasisText } from './registerform';

export type { GapDto };

/** Every code a letter's gaps can carry. */
export const GAP_CODES: readonly string[] = Object.keys(GAP_PARAMS);

/** Whether `code` is one of the generated list. */
export function isGapCode(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(GAP_PARAMS, code);
}

/** The dictionary key of a gap code. */
export function gapKey(code: string): Key {
  return `gap.${code}` as Key;
}

function languageName(lang: Lang, code: string): string {
  const key = `gap.lang.${code}`;
  return key in DICTIONARIES.en ? translate(lang, key as Key) : code.toUpperCase();
}

function countryName(lang: Lang, code: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** The parameters as the labels show them: languages, countries and legal bases in words. */
function shownParams(lang: Lang, params: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (k === 'language' || k === 'register_language') out[k] = languageName(lang, v);
    else if (k === 'country') out[k] = countryName(lang, v);
    else if (k === 'basis') out[k] = legalBasisText(lang, v);
    else out[k] = v;
  }
  return out;
}

/**
 * One gap in words: `Kundenliste: Es ist kein Zweck genannt — …`. A register gap is prefixed
 * with its system's name (or "Controller" for the controller's own details); a line about
 * what is not recorded names its system itself.
 */
export function gapText(lang: Lang, gap: GapDto): string {
  if (!isGapCode(gap.code)) return gap.text;
  const words = translate(lang, gapKey(gap.code), shownParams(lang, gap.params));
  if (gap.code.startsWith('unrecorded.')) return words;
  const where = gap.system_name?.trim() || gap.system || translate(lang, 'gap.where.controller');
  return `${where}: ${words}`;
}

/** A line of the core's own text (a refusal's message) as a gap without a code. */
export function lineGap(text: string): GapDto {
  return { system: null, system_name: null, field: '', code: '', params: {}, text };
}

/** The register's gaps among what a letter lacks (what a final letter needs a reason for). */
export function registerGaps(gaps: readonly GapDto[]): GapDto[] {
  return gaps.filter((g) => !g.code.startsWith('unrecorded.'));
}
