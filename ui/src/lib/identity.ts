// Rules of the case screen's identity and requester panels, kept out of the components so
// they are tested: which letters need identity established, the check and requester forms,
// their checks before sending, and identifier kinds in words.

import type { IdentityInput } from '../bindings/IdentityInput';
import type { MatchedInDto } from '../bindings/MatchedInDto';
import type { RequesterInput } from '../bindings/RequesterInput';
import { DICTIONARIES, translate, type Key, type Lang } from './i18n';

/** Ways identity is established, as the core names them. */
export const IDENTITY_METHODS = ['held-data', 'email-round-trip', 'document-seen', 'representative-authority'] as const;
export type IdentityMethod = (typeof IDENTITY_METHODS)[number];

/** What entitles a representative, as the core names it. */
export const AUTHORITIES = ['power-of-attorney', 'parent', 'guardian', 'lawyer', 'other'] as const;

/** Letters that hand out the subject's data: they wait for an identity check. */
export function disclosesData(letterKind: string): boolean {
  return letterKind === 'access-response' || letterKind === 'portability-response';
}

/** Rights whose answer discloses data (the panel warns while identity is open). */
export function asksForData(rights: readonly string[]): boolean {
  return rights.some((r) => r === 'access' || r === 'portability' || r === 'know');
}

/** An identifier kind in words (`customer_id` → Kundennummer); an unknown key as it is. */
export function kindText(lang: Lang, kind: string): string {
  const key = `id.kind.${kind}`;
  return key in DICTIONARIES.en ? translate(lang, key as Key) : kind.replace(/_/g, ' ');
}

/** A held-data match as the checkbox list keys it. */
export const matchKey = (m: MatchedInDto) => `${m.system}:${m.kinds.join(',')}`;

/** The identity form. */
export interface IdentityForm {
  method: IdentityMethod;
  on: string;
  /** Keys (`matchKey`) of the ticked matches. */
  matched: string[];
  note: string;
  documentPath: string;
  keep: boolean;
  keepReason: string;
}

export type IdentityErrors = Partial<Record<'matched' | 'document' | 'keepReason' | 'on' | 'method', Key>>;

/** Checks the form before it is sent (the core checks again). */
export function checkIdentity(f: IdentityForm, today: string, hasRequester: boolean): IdentityErrors {
  const e: IdentityErrors = {};
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.on)) e.on = 'new.err.received';
  else if (f.on > today) e.on = 'new.err.future';
  if (f.method === 'held-data' && f.matched.length === 0) e.matched = 'id.err.matches';
  if (f.method === 'document-seen') {
    if (f.documentPath.trim() === '' && f.note.trim() === '') e.document = 'id.err.document';
    if (f.keep && f.keepReason.trim() === '') e.keepReason = 'id.err.reason';
  }
  if (f.method === 'representative-authority' && !hasRequester) e.method = 'id.err.requester';
  return e;
}

/** The form as the shell takes it: only what the method uses. */
export function identityInput(f: IdentityForm, offered: readonly MatchedInDto[]): IdentityInput {
  const doc = f.method === 'document-seen' && f.documentPath.trim() !== '';
  return {
    method: f.method,
    on: f.on,
    matched: f.method === 'held-data' ? offered.filter((m) => f.matched.includes(matchKey(m))) : [],
    note: f.note.trim() || null,
    document_path: doc ? f.documentPath.trim() : null,
    keep_reason: doc && f.keep ? f.keepReason.trim() || null : null,
  };
}

/** The requester form. */
export interface RequesterForm {
  name: string;
  address: string;
  email: string;
  authority: string;
  note: string;
  documentPath: string;
}

export const blankRequester = (): RequesterForm => ({ name: '', address: '', email: '', authority: 'power-of-attorney', note: '', documentPath: '' });

export type RequesterErrors = Partial<Record<'name' | 'address' | 'email' | 'note', Key>>;

/** Checks the requester form before it is sent (the core checks again). */
export function checkRequester(f: RequesterForm): RequesterErrors {
  const e: RequesterErrors = {};
  if (f.name.trim() === '') e.name = 'rq.err.name';
  if (f.email.trim() !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim())) e.email = 'new.err.email';
  if (f.address.trim() === '' && f.email.trim() === '') e.address = 'rq.err.where';
  if (f.authority === 'other' && f.note.trim() === '') e.note = 'rq.err.note';
  return e;
}

/** The requester form as the shell takes it. */
export function requesterInput(f: RequesterForm): RequesterInput {
  return {
    name: f.name.trim(),
    address: f.address.split('\n').map((l) => l.trim()).filter((l) => l !== ''),
    email: f.email.trim() || null,
    authority: f.authority,
    authority_note: f.note.trim() || null,
    document_path: f.documentPath.trim() || null,
  };
}
