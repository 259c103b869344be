// Logic of the answers to act-by-hand tasks and of the corrections of a rectification, kept out
// of the components so vitest can check it without a window: which tasks take an answer, what
// the form proposes, and what is wrong with a form before the desk is asked.

import type { CorrectionInput, TaskDto } from '../api';
import { isAfter, isIsoDate } from './dates';
import type { Key } from './i18n';

/** What whoever runs a system can confirm (the core's codes, `dsar task answer --confirmed`). */
export const CONFIRMED = ['erased', 'restricted', 'rectified', 'nothing-held', 'refused'] as const;

/** Task kinds whose answer the desk records: acting by hand, and searching by hand. */
const ANSWERED_KINDS = new Set(['act-by-hand', 'manual-search']);

/** Whether the task panel offers "Record the answer" on this task. */
export function takesAnswer(task: Pick<TaskDto, 'kind' | 'status'>): boolean {
  return ANSWERED_KINDS.has(task.kind) && task.status === 'open';
}

/**
 * What the form proposes as confirmed: a search by hand usually finds nothing more; acting by
 * hand confirms what the case asked for (erasure beats restriction, as in the plan).
 */
export function defaultConfirmed(kind: string, rights: readonly string[]): (typeof CONFIRMED)[number] {
  if (kind === 'manual-search') return 'nothing-held';
  const has = (...r: string[]) => rights.some((x) => r.includes(x));
  if (has('erasure', 'delete', 'objection', 'withdraw-consent', 'opt-out')) return 'erased';
  if (has('restriction', 'limit')) return 'restricted';
  if (has('rectification', 'correct')) return 'rectified';
  return 'erased';
}

/** What is wrong with an answer's day (none: it may go to the desk). */
export function answerDayError(on: string, today: string): Key | null {
  const day = on.trim();
  if (!isIsoDate(day)) return 'new.err.received';
  if (isAfter(day, today)) return 'new.err.future';
  return null;
}

/** Rights that ask for a correction (the Corrections panel is shown for these). */
export function asksCorrection(rights: readonly string[]): boolean {
  return rights.some((r) => r === 'rectification' || r === 'correct');
}

/** What is wrong with a correction, per field (the core's rules, said at the form's fields). */
export function correctionErrors(c: Pick<CorrectionInput, 'field' | 'old' | 'new'>): { field?: Key; new?: Key } {
  const errors: { field?: Key; new?: Key } = {};
  if (c.field.trim() === '') errors.field = 'cor.err.field';
  if (c.new.trim() === '') errors.new = 'cor.err.new';
  else if (c.new.trim() === c.old.trim()) errors.new = 'cor.err.same';
  return errors;
}
