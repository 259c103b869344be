// Places a core `invalid-input` message ("field: what — fix") at the form field it names, for
// the Settings screen's forms. Unknown fields fall back to the form's own error line.

/** The field and the text after its name, when `message` names one of `fields`. */
export function fieldOf<F extends string>(message: string, fields: readonly F[]): { field: F; text: string } | null {
  const colon = message.indexOf(':');
  if (colon <= 0) return null;
  const name = message.slice(0, colon).trim();
  const field = fields.find((f) => f === name);
  if (!field) return null;
  return { field, text: message.slice(colon + 1).trim() || message };
}

/** Text lines (address fields) as the list the shell takes: trimmed, blank lines dropped. */
export function toLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** Empty or blank text as null (optional fields). */
export function orNull(text: string): string | null {
  const t = text.trim();
  return t === '' ? null : t;
}

/** Client check of the passphrase form; the key of the message per field, empty when fine. */
export function checkPassphrase(
  current: string,
  next: string,
  repeat: string,
  min: number,
): Partial<Record<'current' | 'new' | 'repeat', 'pass.empty' | 'pass.too_short' | 'pass.mismatch' | 'pass.same'>> {
  const out: Partial<Record<'current' | 'new' | 'repeat', 'pass.empty' | 'pass.too_short' | 'pass.mismatch' | 'pass.same'>> = {};
  if (current === '') out.current = 'pass.empty';
  if ([...next].length < min) out.new = 'pass.too_short';
  else if (next === current) out.new = 'pass.same';
  if (repeat !== next) out.repeat = 'pass.mismatch';
  return out;
}

/** Client check of the reminder lead time (whole days, 1 to `max`). */
export function validDays(value: number, max: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= max;
}

/**
 * Reminder lead times as typed ("7, 2" or "7 2"): one to `most` whole days from 1 to `max`,
 * none twice, returned longest first — or null when the text is not that.
 */
export function parseLeadTimes(text: string, max: number, most = 3): number[] | null {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== '');
  if (parts.length === 0 || parts.length > most) return null;
  if (!parts.every((p) => /^\d+$/.test(p))) return null;
  const days = parts.map(Number);
  if (!days.every((d) => validDays(d, max))) return null;
  if (new Set(days).size !== days.length) return null;
  return days.sort((x, y) => y - x);
}
