// The codes the core accepts for rights, statuses, channels, outcomes and letter kinds (the
// same strings as the CLI, SPEC §8), so selects offer only what the core will take, and their
// words in the UI language.

import { DICTIONARIES, translate, type Key, type Lang } from './i18n';

/** GDPR rights (Art. 15–21, consent withdrawal). */
export const GDPR_RIGHTS = [
  'access',
  'rectification',
  'erasure',
  'restriction',
  'portability',
  'objection',
  'withdraw-consent',
] as const;

/** CCPA/CPRA rights. */
export const CCPA_RIGHTS = ['know', 'delete', 'correct', 'opt-out', 'limit'] as const;

/** Every right code. */
export const RIGHTS = [...GDPR_RIGHTS, ...CCPA_RIGHTS] as const;

/** Case statuses in workflow order. */
export const STATUSES = [
  'new',
  'awaiting-identity',
  'awaiting-clarification',
  'in-progress',
  'ready-to-send',
  'closed',
] as const;

/** How a request arrived. */
export const CHANNELS = ['email', 'letter', 'web-form', 'phone', 'in-person', 'other'] as const;

/** Letter languages the templates exist in. */
export const LETTER_LANGS = ['de', 'en', 'nl'] as const;

/** Jurisdictions the deadline engine knows. */
export const JURISDICTIONS = ['gdpr', 'ccpa'] as const;

/** How a case ended. */
export const OUTCOMES = ['fulfilled', 'partially-fulfilled', 'refused', 'withdrawn', 'no-data'] as const;

/** Letter templates. */
export const LETTER_KINDS = [
  'acknowledgement',
  'identity-request',
  'clarification-request',
  'extension-notice',
  'access-response',
  'portability-response',
  'erasure-confirmation',
  'erasure-partial',
  'restriction-confirmation',
  'restriction-lift-notice',
  'objection-accepted',
  'objection-rejected',
  'rectification-confirmation',
  'rectification-refused',
  'recipients-informed',
  'refusal',
  'no-data',
  'access-supplement',
  'objection-not-applicable',
  'identity-not-established',
  'fee-notice',
  'consent-withdrawal-confirmation',
  'request-by-representative',
] as const;

/** Refusal grounds (SPEC §8 `--ground`); which apply depends on the case's law. */
export const REFUSAL_GROUNDS = [
  'art12-5-unfounded',
  'art12-5-excessive',
  'art15-4',
  'art17-3-a',
  'art17-3-b',
  'art17-3-c',
  'art17-3-d',
  'art17-3-e',
  'art11-2',
  'bdsg-29',
  'bdsg-34',
  'uavg-41',
  'dpa2018-sch2',
  'dpa2018-sch3',
  'dpa2018-sch4',
] as const;

/** A code shown to people until each code has its own dictionary entry. */
export function codeLabel(code: string): string {
  const spaced = code.replace(/[-_]/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** The families of codes that have words in the dictionary (`code.<family>.<code>`). */
export type CodeFamily = 'right' | 'channel' | 'status' | 'outcome' | 'letter' | 'confirmed' | 'task';

/** A code in words in `lang`; a code the dictionary does not know yet as `codeLabel` shows it. */
export function codeText(lang: Lang, family: CodeFamily, code: string): string {
  const key = `code.${family}.${code}`;
  return key in DICTIONARIES.en ? translate(lang, key as Key) : codeLabel(code);
}
