// Words a failed command, a refused file or an intake warning in the UI's language from its
// reason code and parameters (src-tauri/src/reason.rs, generated into bindings/Reason.ts), so
// the window never shows the core's English text in German and never matches on it. The
// English message is shown only when no code came, and — in English — for the few generic
// codes whose own label says less than the core's sentence.

import type { Reason } from '../bindings/Reason';
import { REASON_PARAMS } from '../bindings/ReasonParams';
import { codeText, type CodeFamily } from './codes';
import { translate, type Key, type Lang } from './i18n';

/** Anything that carries a reason: an ApiError, a refused file, a proposal's warning. */
export interface Reasoned {
  message: string;
  reason?: string | null;
  params?: Readonly<Record<string, string | undefined>> | null;
}

// Codes already worded elsewhere in the dictionary (backup errors on the safety bar, the
// Inbox's warnings): one text each, not two.
const SHARED: Partial<Record<Reason, Key>> = {
  'backup.no-folder': 'backup_error.backup.no-folder',
  'backup.not-allowed': 'backup_error.backup.not-allowed',
  'backup.disk-full': 'backup_error.backup.disk-full',
  'backup.is-folder': 'backup_error.backup.is-folder',
  'backup.write-failed': 'backup_error.backup.write-failed',
  'backup.same-file': 'backup_error.backup.same-file',
  'backup.not-encrypted': 'backup_error.backup.not-encrypted',
  'restore.missing': 'backup_error.restore.missing',
  'restore.wrong-passphrase': 'backup_error.restore.wrong-passphrase',
  'restore.damaged': 'backup_error.restore.damaged',
  'restore.audit-broken': 'backup_error.restore.audit-broken',
  'restore.too-new': 'backup_error.restore.too-new',
  'restore.swap': 'backup_error.restore.swap',
  'intake.warn.forwarded-attachment': 'inbox.warn.forwarded_attachment',
  'intake.warn.forwarded-subject': 'inbox.warn.forwarded_subject',
  'intake.warn.from-unusable': 'inbox.warn.from_unusable',
  'intake.warn.from-missing': 'inbox.warn.from_missing',
  'intake.warn.no-name': 'inbox.warn.no_name',
  'intake.warn.no-date': 'inbox.warn.no_date',
  'intake.warn.future-date': 'inbox.warn.future_date',
  'intake.warn.no-register': 'inbox.warn.no_register',
  'intake.warn.no-right': 'inbox.warn.no_right',
  'intake.warn.language': 'inbox.warn.language',
};

// Labels that say less than the core's own sentence (generic ones, or a list of what a letter
// confirms without a record): in English that sentence is shown instead.
const GENERIC: readonly Reason[] = ['input.invalid', 'internal', 'intake.warn.other', 'letter.unconfirmed'];

// Parameters that are codes with words of their own (a status, a right, a letter kind).
const CODE_PARAMS: Partial<Record<Reason, Partial<Record<string, CodeFamily>>>> = {
  'status.transition': { from: 'status', to: 'status' },
  'right.not-in-jurisdiction': { right: 'right' },
  'letter.missing-reasons': { kind: 'letter' },
};

// The laws' names as the dictionary has them for the case screen; other codes stay upper-case.
const LAWS: Record<string, string> = { gdpr: 'GDPR', 'uk-gdpr': 'UK GDPR', ccpa: 'CCPA', lgpd: 'LGPD' };
const LAWS_DE: Record<string, string> = { gdpr: 'DSGVO', 'uk-gdpr': 'UK-DSGVO', ccpa: 'CCPA', lgpd: 'LGPD' };

/** Whether `code` is one of the closed list. */
export function isReason(code: unknown): code is Reason {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(REASON_PARAMS, code);
}

/** The dictionary key that words `reason`. */
export function reasonKey(reason: Reason): Key {
  return SHARED[reason] ?? (`err.${reason}` as Key);
}

/** The parameters as the label shows them: codes in words, laws by their names. */
function shown(lang: Lang, reason: Reason, params: Reasoned['params']): Record<string, string> {
  const out: Record<string, string> = {};
  const families = CODE_PARAMS[reason] ?? {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value === undefined) continue;
    const family = families[name];
    if (family) out[name] = codeText(lang, family, value);
    else if (name === 'jurisdiction') out[name] = (lang === 'de' ? LAWS_DE : LAWS)[value] ?? value.toUpperCase();
    else out[name] = value;
  }
  return out;
}

/** What went wrong (or what to check), in `lang`. */
export function reasonText(lang: Lang, e: Reasoned): string {
  const reason = e.reason;
  if (!isReason(reason)) return e.message;
  if (lang === 'en' && GENERIC.includes(reason)) return e.message;
  return translate(lang, reasonKey(reason), shown(lang, reason, e.params));
}
