// The Inbox's rules, kept out of the screen so they are tested: the core's warnings and file
// refusals in the window's words (by their reason codes), the keys of the keyboard-first list,
// the DPO's corrections of a proposal and their checks before Accept.

import type { ProposalDto } from '../bindings/ProposalDto';
import type { ProposalEdits } from '../bindings/ProposalEdits';
import { type Key, type Lang } from './i18n';
import { reasonText, type Reasoned } from './reasons';

/** A warning of the core on `field`: its English `message` and its reason code. */
export interface CoreWarning extends Reasoned {
  field: string;
}

/** A warning in `lang`, from its reason code (`intake.warn.*`). */
export function warningText(lang: Lang, w: CoreWarning): string {
  return reasonText(lang, w);
}

/** Why a file was not taken in, in `lang`, from its reason code (`intake.*`, `imap.*`). */
export function refusalText(lang: Lang, refused: Reasoned): string {
  return reasonText(lang, refused);
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
