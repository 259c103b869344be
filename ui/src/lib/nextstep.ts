// The "next step" the case header prompts, derived from the case's state: search the systems,
// get the answers of systems searched by hand, write the answer, close — or wait while the
// clock is stopped. One place decides it, so the header and its test agree.

import type { CaseDetail } from '../api';

/** What to do next with a case. */
export type NextStepCode = 'search' | 'tasks' | 'answer' | 'close' | 'wait-identity' | 'wait-clarification' | 'closed';

/** Letters that do not answer the request: they acknowledge, ask, extend or announce. */
const NOT_AN_ANSWER = new Set([
  'acknowledgement',
  'identity-request',
  'clarification-request',
  'extension-notice',
  'fee-notice',
  'request-by-representative',
]);

/** The parts of a case the next step depends on. */
export type NextStepInput = Pick<CaseDetail, 'status' | 'systems' | 'tasks' | 'timeline' | 'documents'>;

function kindOf(details: string): string | null {
  try {
    const d = JSON.parse(details) as { kind?: unknown };
    return typeof d.kind === 'string' ? d.kind : null;
  } catch {
    return null;
  }
}

/** Whether an answer (any letter that is not an acknowledgement, request or notice) was saved
 *  or sent for the case. */
export function answered(c: Pick<CaseDetail, 'timeline' | 'documents'>): boolean {
  const fromTimeline = c.timeline.some((e) => (e.action === 'letter.saved' || e.action === 'letter.sent') && isAnswer(kindOf(e.details)));
  return fromTimeline || c.documents.some((d) => d.sent_at !== null && isAnswer(d.kind));
}

function isAnswer(kind: string | null): boolean {
  return kind !== null && !NOT_AN_ANSWER.has(kind) && !kind.startsWith('intake') && kind !== 'export';
}

/** Open tasks of systems searched by hand. */
export function openManualTasks(c: Pick<CaseDetail, 'tasks'>): number {
  return c.tasks.filter((t) => t.status === 'open' && t.kind === 'manual-search').length;
}

/** The next step for a case. */
export function nextStep(c: NextStepInput): NextStepCode {
  if (c.status === 'closed') return 'closed';
  if (c.status === 'awaiting-identity') return 'wait-identity';
  if (c.status === 'awaiting-clarification') return 'wait-clarification';
  if (answered(c)) return 'close';
  if (c.systems.length === 0) return 'search';
  if (openManualTasks(c) > 0) return 'tasks';
  return 'answer';
}
