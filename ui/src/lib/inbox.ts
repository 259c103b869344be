// The Inbox's rules, kept out of the screen so they are tested: the core's warnings and file
// refusals (English sentences) in the window's words, the keys of the keyboard-first list,
// the DPO's corrections of a proposal and their checks before Accept.

import type { ProposalDto } from '../bindings/ProposalDto';
import type { ProposalEdits } from '../bindings/ProposalEdits';
import { translate, type Key, type Lang } from './i18n';

/** A warning of the core: `field` and its English `message`. */
export interface CoreWarning {
  field: string;
  message: string;
}

// The core's warnings (src/intake/mod.rs `propose`), each with the dictionary key that says
// the same to the DPO and the parts of the sentence it carries over.
const WARNINGS: { re: RegExp; key: Key; params?: (m: RegExpMatchArray) => Record<string, string> }[] = [
  { re: /^forwarded as an attachment/, key: 'inbox.warn.forwarded_attachment' },
  { re: /^the subject says forwarded/, key: 'inbox.warn.forwarded_subject' },
  { re: /^the sender is not a usable e-mail address/, key: 'inbox.warn.from_unusable' },
  { re: /^the message has no From address/, key: 'inbox.warn.from_missing' },
  { re: /^no display name in From/, key: 'inbox.warn.no_name' },
  { re: /^the message has no valid Date: today \((\d{4}-\d{2}-\d{2})\)/, key: 'inbox.warn.no_date', params: (m) => ({ today: m[1] ?? '' }) },
  {
    re: /^the message's Date \((\d{4}-\d{2}-\d{2})\) is in the future: today \((\d{4}-\d{2}-\d{2})\)/,
    key: 'inbox.warn.future_date',
    params: (m) => ({ date: m[1] ?? '', today: m[2] ?? '' }),
  },
  { re: /^no register imported: the Date was read in (\S+)/, key: 'inbox.warn.no_register', params: (m) => ({ zone: m[1] ?? '' }) },
  { re: /^no right recognised/, key: 'inbox.warn.no_right' },
  { re: /^language not recognised: (\w+)/, key: 'inbox.warn.language', params: (m) => ({ lang: (m[1] ?? '').toUpperCase() }) },
];

/** A warning in `lang`; one the window does not know yet in the core's words. */
export function warningText(lang: Lang, w: CoreWarning): string {
  for (const { re, key, params } of WARNINGS) {
    const m = w.message.match(re);
    if (m) return translate(lang, key, params ? params(m) : {});
  }
  return w.message;
}

// Why the core refused a file (src/intake/message.rs `IntakeError`).
const REFUSALS: { re: RegExp; key: Key; params?: (m: RegExpMatchArray) => Record<string, string> }[] = [
  { re: /^not an e-mail/, key: 'inbox.refused.not_email' },
  { re: /^larger than 25 MB/, key: 'inbox.refused.too_large' },
  { re: /^the header section is too large/, key: 'inbox.refused.header' },
  { re: /^cannot read the file \(([^)]*)\)/, key: 'inbox.refused.read', params: (m) => ({ why: m[1] ?? '' }) },
];

/** Why a file was not taken in, in `lang`. */
export function refusalText(lang: Lang, message: string): string {
  for (const { re, key, params } of REFUSALS) {
    const m = message.match(re);
    if (m) return translate(lang, key, params ? params(m) : {});
  }
  return message;
}

/** What a key press does in the Inbox list. */
export type InboxKey = 'next' | 'previous' | 'accept' | 'dismiss';

/** The Inbox's action for a key, or null when the key belongs to a field being typed in. */
export function inboxKey(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; targetTag: string; targetEditable: boolean }): InboxKey | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A'].includes(e.targetTag) || e.targetEditable) return null;
  switch (e.key) {
    case 'ArrowDown':
    case 'j':
      return 'next';
    case 'ArrowUp':
    case 'k':
      return 'previous';
    case 'Enter':
      return 'accept';
    case 'Delete':
    case 'x':
      return 'dismiss';
    default:
      return null;
  }
}

/** The editable fields of a proposal as first shown: what the core guessed. */
export function initialEdits(p: ProposalDto): ProposalEdits {
  return { from: p.from ?? '', name: p.name ?? '', received: p.received, rights: [...p.rights], language: p.language };
}

/** A field of the corrections with the dictionary key of what is wrong with it. */
export type EditErrors = Partial<Record<keyof ProposalEdits, Key>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks the corrections before Accept (the shell checks again). */
export function checkEdits(e: ProposalEdits, today: string): EditErrors {
  const errors: EditErrors = {};
  if (!EMAIL.test(e.from.trim())) errors.from = 'new.err.email';
  if (e.name.trim() === '') errors.name = 'new.err.name';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(e.received)) errors.received = 'new.err.received';
  else if (e.received > today) errors.received = 'new.err.future';
  if (e.rights.length === 0) errors.rights = 'new.err.rights';
  return errors;
}

/** The form field a shell refusal (`field: message`) is about, when it is one of the edits. */
export function editField(message: string): keyof ProposalEdits | null {
  const field = message.split(':', 1)[0] ?? '';
  return (['from', 'name', 'received', 'rights', 'language'] as const).find((f) => f === field) ?? null;
}

/** A file size for people: bytes, KB or MB. */
export function fileSize(lang: Lang, bytes: number): string {
  const fmt = (n: number) => n.toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${fmt(bytes / 1024)} KB`;
  return `${fmt(bytes / 1024 / 1024)} MB`;
}
