// Logic of the case screen's record preview, letters and export, and of the register editor,
// kept out of the components so vitest can check it without a window.

import type { SystemFieldsDto } from '../api';

/** Longest value shown in a record table cell before "show all". */
export const CELL_MAX = 120;

/** The smallest export password the core accepts (bundle::MIN_PASSWORD). */
export const MIN_EXPORT_PASSWORD = 10;

/** `value` cut to `max` characters (by code point, so no emoji is split) with an ellipsis. */
export function truncate(value: string, max = CELL_MAX): { text: string; cut: boolean } {
  const chars = Array.from(value);
  if (chars.length <= max) return { text: value, cut: false };
  return { text: `${chars.slice(0, max).join('')}…`, cut: true };
}

/** The file a save picker proposes, e.g. `DSAR-2026-0042-access-response.pdf`. */
export function defaultFileName(reference: string, what: string, ext: string): string {
  return `${reference}-${what}.${ext}`;
}

/** Whether an export password is acceptable: none at all, or at least 10 characters. */
export function exportPasswordOk(password: string): boolean {
  return password === '' || Array.from(password).length >= MIN_EXPORT_PASSWORD;
}

/**
 * Splits an `invalid-input` message of the register editor into messages per field. The shell
 * writes one problem per line as `field: problem — fix`; lines whose field the form does not
 * have are returned in `other` (shown above the form).
 */
export function fieldMessages(
  message: string,
  fields: readonly string[],
): { byField: Record<string, string[]>; other: string[] } {
  const byField: Record<string, string[]> = {};
  const other: string[] = [];
  for (const line of message.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
    const at = line.indexOf(': ');
    const field = at > 0 ? line.slice(0, at) : '';
    if (fields.includes(field)) (byField[field] ??= []).push(line.slice(at + 2));
    else other.push(line);
  }
  return { byField, other };
}

/** A list field edited as one entry per line. */
export function linesToList(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** The text area's content for a list field. */
export function listToLines(list: readonly string[]): string {
  return list.join('\n');
}

/** The editor's form: list fields as text, one entry per line. */
export interface SystemForm {
  name: string;
  role: string;
  purposes: string;
  data_categories: string;
  recipients: string;
  legal_bases: string;
  retention: string;
  retention_period: string;
  source: string;
}

/** Every field of the editor that can carry a message. */
export const SYSTEM_FIELDS = [
  'id',
  'contact_email',
  'name',
  'role',
  'purposes',
  'data_categories',
  'recipients',
  'legal_bases',
  'retention',
  'retention_period',
  'source',
] as const;

/** The form for a system's stored values. */
export function toForm(f: SystemFieldsDto): SystemForm {
  return {
    name: f.name,
    role: f.role,
    purposes: listToLines(f.purposes),
    data_categories: listToLines(f.data_categories),
    recipients: listToLines(f.recipients),
    legal_bases: listToLines(f.legal_bases),
    retention: f.retention,
    retention_period: f.retention_period ?? '',
    source: f.source,
  };
}

/** An empty form for a new manual system. */
export function emptyForm(): SystemForm {
  return {
    name: '',
    role: 'internal',
    purposes: '',
    data_categories: '',
    recipients: '',
    legal_bases: '',
    retention: '',
    retention_period: '',
    source: 'data-subject',
  };
}

/** What the shell receives; empty lines are dropped, an empty period means none. */
export function fromForm(f: SystemForm): SystemFieldsDto {
  const period = f.retention_period.trim();
  return {
    name: f.name.trim(),
    role: f.role,
    purposes: linesToList(f.purposes),
    data_categories: linesToList(f.data_categories),
    recipients: linesToList(f.recipients),
    legal_bases: linesToList(f.legal_bases),
    retention: f.retention.trim(),
    retention_period: period === '' ? null : period,
    source: f.source.trim(),
  };
}

/** A register id proposed from a system's name: `Paper archive` → `paper-archive`. */
export function suggestId(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The register gaps of a refused final letter: the shell answers `gaps: …` on its first line
 * and one gap a line after it. `null` when the message is another refusal.
 */
export function refusedGaps(message: string): string[] | null {
  if (!message.startsWith('gaps:')) return null;
  return message
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** The file a draft is proposed as: `DSAR-2026-0042-access-response-draft.pdf`. */
export function draftFileName(reference: string, kind: string): string {
  return defaultFileName(reference, `${kind}-draft`, 'pdf');
}

/**
 * Where a draft goes when a path is typed for the letter: beside it, with `-draft` before the
 * extension, so a draft never takes the final letter's file (`a.pdf` → `a-draft.pdf`).
 */
export function draftPathFor(typed: string): string {
  const path = typed.trim();
  if (/-draft\.pdf$/i.test(path)) return path;
  return /\.pdf$/i.test(path) ? `${path.slice(0, -4)}-draft${path.slice(-4)}` : `${path}-draft.pdf`;
}
