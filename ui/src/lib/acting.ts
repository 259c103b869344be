// Logic of the case screen's Actions panel (plan → approve → carry out → verify → notify),
// kept out of the component so vitest can check it without a window: counts in words, which
// systems can be run again, which confirmation letters concern the case.

import type { ActedSystemDto, LetterReadinessDto, NoticeDto } from '../api';
import { formatDate, isAfter, isIsoDate } from './dates';
import { translate, type Key, type Lang } from './i18n';

/** "1 record" / "4 records" in `lang`. */
export function recordsWord(lang: Lang, n: number): string {
  return n === 1 ? translate(lang, 'act.record_one') : translate(lang, 'act.records', { n });
}

/** "in 1 system" / "in 2 systems" (German needs the dative plural: "in 2 Systemen"). */
export function inSystems(lang: Lang, n: number): string {
  return n === 1 ? translate(lang, 'act.in_system_one') : translate(lang, 'act.in_systems', { n });
}

/** "1 system" / "7 systems". */
export function systemsWord(lang: Lang, n: number): string {
  return n === 1 ? translate(lang, 'act.system_one') : translate(lang, 'act.systems', { n });
}

/** What a plan would change, summed over its systems. */
export interface PlanCounts {
  eraseRows: number;
  eraseSystems: number;
  restrictRows: number;
  restrictSystems: number;
  /** Systems the desk cannot change: an e-mail asks whoever runs them. */
  tasks: number;
  suppress: boolean;
}

/** A plan as far as counting goes (a plan from the desk, or one read back from the audit trail). */
export interface Countable {
  systems: readonly { action: string; statements: readonly { action: string; rows: number }[] }[];
  suppress: boolean;
}

/** Counts of a plan, by what its statements do. */
export function planCounts(plan: Countable): PlanCounts {
  const c: PlanCounts = { eraseRows: 0, eraseSystems: 0, restrictRows: 0, restrictSystems: 0, tasks: 0, suppress: plan.suppress };
  for (const s of plan.systems) {
    const erase = s.statements.filter((st) => st.action === 'erase').reduce((n, st) => n + st.rows, 0);
    const restrict = s.statements.filter((st) => st.action === 'restrict').reduce((n, st) => n + st.rows, 0);
    c.eraseRows += erase;
    c.restrictRows += restrict;
    if (erase > 0) c.eraseSystems += 1;
    if (restrict > 0) c.restrictSystems += 1;
    if (s.action === 'task') c.tasks += 1;
  }
  return c;
}

/** The counts as a list of phrases ("erase 4 records in 2 systems", …), empty when nothing changes. */
export function countPhrases(lang: Lang, c: PlanCounts): string[] {
  const parts: string[] = [];
  if (c.eraseRows > 0) parts.push(translate(lang, 'act.confirm.erase', { records: recordsWord(lang, c.eraseRows), systems: inSystems(lang, c.eraseSystems) }));
  if (c.restrictRows > 0)
    parts.push(translate(lang, 'act.confirm.restrict', { records: recordsWord(lang, c.restrictRows), systems: inSystems(lang, c.restrictSystems) }));
  if (c.tasks > 0) parts.push(c.tasks === 1 ? translate(lang, 'act.confirm.task_one') : translate(lang, 'act.confirm.tasks', { n: c.tasks }));
  if (c.suppress) parts.push(translate(lang, 'act.confirm.suppress'));
  return parts;
}

/** The approve dialog's sentence: "Erase 4 records in 2 systems, restrict 3 records in 1 system." */
export function confirmSentence(lang: Lang, plan: Countable): string {
  const parts = countPhrases(lang, planCounts(plan));
  if (parts.length === 0) return translate(lang, 'act.confirm.nothing');
  const text = parts.join(', ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

const ACTION_KEY: Readonly<Record<string, Key>> = {
  erase: 'act.action.erase',
  restrict: 'act.action.restrict',
  retain: 'act.action.retain',
  suppress: 'act.action.suppress',
  task: 'act.action.task',
  none: 'act.action.none',
};

/** The action of a plan row in words (an unknown code as it is). */
export function actionWord(lang: Lang, action: string): string {
  const key = ACTION_KEY[action];
  return key ? translate(lang, key) : action;
}

const STATUS_KEY: Readonly<Record<string, Key>> = {
  done: 'act.status.done',
  task: 'act.status.task',
  error: 'act.status.error',
  skipped: 'act.status.skipped',
  running: 'act.status.running',
  planned: 'act.status.planned',
};

/** A system's status after a run in words (an unknown code as it is). */
export function statusWord(lang: Lang, status: string): string {
  const key = STATUS_KEY[status];
  return key ? translate(lang, key) : status;
}

/**
 * Whether the panel offers to run this system again: it failed, was skipped by a cancel, was
 * interrupted, or has not run. A system whose plan did nothing (`none`) is skipped for good.
 */
export function canRerun(s: Pick<ActedSystemDto, 'status' | 'action'>): boolean {
  if (s.action === 'none') return false;
  return s.status === 'error' || s.status === 'skipped' || s.status === 'running' || s.status === 'planned';
}

/** Whether a Verify would check anything: some system's data was changed by the plan. */
export function canVerify(systems: readonly Pick<ActedSystemDto, 'status' | 'erased_rows' | 'restricted_rows'>[]): boolean {
  return systems.some((s) => s.status === 'done' && s.erased_rows + s.restricted_rows > 0);
}

/** The confirmation letters each right may end with (the core's letter kinds). */
const LETTERS_BY_RIGHT: Record<string, readonly string[]> = {
  erasure: ['erasure-confirmation', 'erasure-partial'],
  delete: ['erasure-confirmation', 'erasure-partial'],
  'withdraw-consent': ['consent-withdrawal-confirmation', 'erasure-confirmation', 'erasure-partial'],
  'opt-out': ['erasure-confirmation', 'erasure-partial'],
  restriction: ['restriction-confirmation'],
  limit: ['restriction-confirmation'],
  objection: ['objection-accepted'],
  rectification: ['rectification-confirmation'],
  correct: ['rectification-confirmation'],
};

/**
 * The confirmation letters that concern a case with `rights`, in the desk's order; the Art. 19
 * letter (recipients informed) once there are notices.
 */
export function lettersFor(rights: readonly string[], letters: readonly LetterReadinessDto[], hasNotices: boolean): LetterReadinessDto[] {
  const wanted = new Set(rights.flatMap((r) => LETTERS_BY_RIGHT[r] ?? []));
  if (hasNotices) wanted.add('recipients-informed');
  return letters.filter((l) => wanted.has(l.kind));
}

/** What is wrong with a "mark sent" form, per field (none: it may be sent to the desk). */
export function sentFormErrors(on: string, channel: string, today: string): { on?: Key; channel?: Key } {
  const errors: { on?: Key; channel?: Key } = {};
  if (!isIsoDate(on.trim())) errors.on = 'new.err.received';
  else if (isAfter(on.trim(), today)) errors.on = 'new.err.future';
  if (channel.trim() === '') errors.channel = 'act.notice.err.channel';
  return errors;
}

/** What is wrong with a "close without sending" form (Art. 19 needs the reason). */
export function closeFormError(reason: string): Key | null {
  return reason.trim() === '' ? 'act.notice.err.reason' : null;
}

/** A notice's state in words: open, sent on a day by a channel, or closed with its reason. */
export function noticeStatusText(lang: Lang, n: Pick<NoticeDto, 'status' | 'sent_on' | 'channel' | 'reason'>): string {
  switch (n.status) {
    case 'sent':
      return translate(lang, 'act.notice.sent', { date: formatDate(n.sent_on, lang), channel: n.channel ?? '' });
    case 'impossible':
      return translate(lang, 'act.notice.closed_impossible', { reason: n.reason ?? '' });
    case 'disproportionate':
      return translate(lang, 'act.notice.closed_disproportionate', { reason: n.reason ?? '' });
    default:
      return translate(lang, 'act.notice.open');
  }
}

/** The kind of a notice in words (another controller, or a processor's instruction). */
export function noticeKindText(lang: Lang, kind: string): string {
  return kind === 'processor-instruction' ? translate(lang, 'act.notice.kind.processor-instruction') : translate(lang, 'act.notice.kind.recipient-notice');
}

/** Rights whose answer changes data (the core plans only for these). */
const ACTING_RIGHTS = new Set(['erasure', 'delete', 'restriction', 'limit', 'rectification', 'correct', 'objection', 'withdraw-consent', 'opt-out']);

/** Whether the case screen offers the Actions panel: some right of the case changes data. */
export function actsOn(rights: readonly string[]): boolean {
  return rights.some((r) => ACTING_RIGHTS.has(r));
}
