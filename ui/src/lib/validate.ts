// Validation of the New case form. The client catches the obvious mistakes at once; the core
// stays the authority and its `invalid-input` message starts with the field name, which
// `serverFieldError` maps back to the field so the message shows next to it.

import { isAfter, isIsoDate } from './dates';
import type { Key } from './i18n';
import type { NewCaseInput } from '../api';

/** The form as typed: text areas are kept as text so nothing typed is reshaped on error. */
export interface NewCaseForm {
  rights: string[];
  name: string;
  email: string;
  phone: string;
  ids: string;
  address: string;
  received: string;
  channel: string;
  language: string;
  jurisdiction: string;
  region: string;
}

/** Fields that can carry a message. */
export type Field = keyof NewCaseForm;

/** A message for one field: a dictionary key with its parameters, or text from the core. */
export type FieldError =
  | { key: Key; params?: Record<string, string | number> }
  | { text: string };

/** Messages by field; an empty object means the form may be sent. */
export type FieldErrors = Partial<Record<Field, FieldError>>;

// Deliberately loose: one @, something on both sides, a dot in the domain. The core decides
// the rest; the client only stops obvious typos.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()\-./]{3,}$/;
const ID_LINE = /^[A-Za-z][A-Za-z0-9_-]*=\S.*$/;

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** Client-side checks of the New case form against `today` (YYYY-MM-DD). */
export function validateNewCase(form: NewCaseForm, today: string): FieldErrors {
  const errors: FieldErrors = {};
  if (form.rights.length === 0) errors.rights = { key: 'new.err.rights' };
  if (form.name.trim() === '') errors.name = { key: 'new.err.name' };
  if (form.email.trim() !== '' && !EMAIL.test(form.email.trim())) {
    errors.email = { key: 'new.err.email' };
  }
  if (form.phone.trim() !== '' && !PHONE.test(form.phone.trim())) {
    errors.phone = { key: 'new.err.phone' };
  }
  const badLine = lines(form.ids).findIndex((l) => !ID_LINE.test(l));
  if (badLine >= 0) errors.ids = { key: 'new.err.ids', params: { line: badLine + 1 } };
  const received = form.received.trim();
  if (!isIsoDate(received)) errors.received = { key: 'new.err.received' };
  else if (isAfter(received, today)) errors.received = { key: 'new.err.future' };
  if (form.channel === '') errors.channel = { key: 'new.err.channel' };
  return errors;
}

/** The command input for a form that passed validation. */
export function toNewCaseInput(form: NewCaseForm): NewCaseInput {
  const optional = (s: string) => (s.trim() === '' ? null : s.trim());
  return {
    rights: [...form.rights],
    name: form.name.trim(),
    email: optional(form.email),
    phone: optional(form.phone),
    ids: lines(form.ids),
    address: lines(form.address),
    received: form.received.trim(),
    jurisdiction: optional(form.jurisdiction),
    region: optional(form.region),
    language: optional(form.language),
    channel: form.channel,
  };
}

// The core names fields as the CLI flags do; map those spellings onto the form's fields.
const SERVER_FIELDS: Readonly<Record<string, Field>> = {
  rights: 'rights',
  right: 'rights',
  name: 'name',
  email: 'email',
  'e-mail': 'email',
  phone: 'phone',
  ids: 'ids',
  id: 'ids',
  identifier: 'ids',
  address: 'address',
  received: 'received',
  channel: 'channel',
  language: 'language',
  lang: 'language',
  jurisdiction: 'jurisdiction',
  region: 'region',
};

/**
 * Splits an `invalid-input` message `field: text` into the form field and the text. Messages
 * without a known field prefix return null and are shown above the form instead.
 */
export function serverFieldError(message: string): { field: Field; text: string } | null {
  const colon = message.indexOf(':');
  if (colon <= 0) return null;
  const field = SERVER_FIELDS[message.slice(0, colon).trim().toLowerCase()];
  if (!field) return null;
  return { field, text: message.slice(colon + 1).trim() || message };
}
