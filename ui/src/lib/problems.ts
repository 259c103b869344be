// Words a refused register's problems in the UI's language from each problem's code and
// parameters (RegisterProblemDto; the codes with their parameters are generated into
// bindings/ProblemParams.ts from the core's PROBLEM_CODES), each after its place in the file
// (the JSON pointer). A problem without a code of its own (`other`) is said in general words
// at its place; the core's detailed sentence is English, so only the English UI shows it (the
// German words point to `dsar register import --dry-run`, which prints it).

import type { RegisterProblemDto } from '../bindings/RegisterProblemDto';
import { PROBLEM_PARAMS } from '../bindings/ProblemParams';
import { translate, type Key, type Lang } from './i18n';
import { legalBasisText } from './registerform';

export type { RegisterProblemDto };

/** Every register problem code. */
export const PROBLEM_CODES: readonly string[] = Object.keys(PROBLEM_PARAMS);

/** The dictionary key of a problem code. */
export function problemKey(code: string): Key {
  return `regproblem.${code}` as Key;
}

function known(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(PROBLEM_PARAMS, code);
}

/** One problem in words: `/systems/0/purposes: Darf nicht leer sein — bitte ausfüllen.` */
export function problemText(lang: Lang, p: RegisterProblemDto): string {
  const where = p.path === '' ? translate(lang, 'regproblem.file') : p.path;
  if (!known(p.code) || p.code === 'other') {
    // English: the core's own sentence says more; other languages: general words at the place.
    return lang === 'en' ? `${where}: ${p.text}` : `${where}: ${translate(lang, 'regproblem.other')}`;
  }
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.params)) if (v !== undefined) params[k] = k === 'basis' ? legalBasisText(lang, v) : v;
  return `${where}: ${translate(lang, problemKey(p.code), params)}`;
}
