// The case screen's systems panel in words: what the last search of each register system came
// to (records found, an error, a manual system's task), and what the DPO can do next there
// (show the records, search again, set a secret). Kept out of the component for vitest.

import type { PullProgress, SystemResultDto, TaskDto } from '../api';
import type { SecretProblemDto } from '../bindings/SecretProblemDto';
import { translate, type Lang } from './i18n';
import { reasonText } from './reasons';

/** The task kind a pull of a manual system creates (`tasks::MANUAL_SEARCH`). */
export const MANUAL_SEARCH = 'manual-search';

/** Where one system stands for the case. */
export type SystemState =
  | { kind: 'not-searched'; manual: boolean }
  | { kind: 'searching' }
  | { kind: 'found'; records: number }
  | { kind: 'error'; message: string | null; secret: SecretProblemDto | null; reason?: string | null; params?: Readonly<Record<string, string | undefined>> }
  | { kind: 'cancelled' }
  | { kind: 'manual'; task: 'open' | 'done' | 'cancelled' | 'none' };

/** One row of the panel: a register system (or one no longer listed) with its last result. */
export interface SystemLine {
  id: string;
  name: string;
  /** Whether the register searches it by hand (connector kind `manual`). */
  manual: boolean;
  /** Whether it is still in the register (only then can it be searched again). */
  listed: boolean;
  result: SystemResultDto | null;
}

/** The state shown for a system: live progress first, then the stored result, then its task. */
export function systemState(line: SystemLine, live: PullProgress | undefined, tasks: readonly TaskDto[]): SystemState {
  if (live?.phase === 'started') return { kind: 'searching' };
  const status = live?.status ?? line.result?.status ?? null;
  const task = tasks.find((t) => t.system_id === line.id && t.kind === MANUAL_SEARCH);
  switch (status) {
    case null:
      return { kind: 'not-searched', manual: line.manual };
    case 'manual': {
      const s = task?.status;
      return { kind: 'manual', task: s === 'open' || s === 'done' || s === 'cancelled' ? s : 'none' };
    }
    case 'error':
      return {
        kind: 'error',
        message: line.result?.error ?? null,
        secret: line.result?.secret ?? null,
        reason: line.result?.error_reason ?? null,
        params: line.result?.error_params ?? {},
      };
    case 'cancelled':
      return { kind: 'cancelled' };
    default:
      return { kind: 'found', records: live?.records ?? line.result?.records ?? 0 };
  }
}

/** The state in words in `lang`. */
export function stateText(lang: Lang, s: SystemState): string {
  switch (s.kind) {
    case 'not-searched':
      return translate(lang, s.manual ? 'case.sys.manual_new' : 'case.not_pulled');
    case 'searching':
      return translate(lang, 'case.pulling');
    case 'found':
      return s.records === 1 ? translate(lang, 'case.record') : translate(lang, 'case.records', { n: s.records });
    case 'error':
      return translate(lang, 'case.sys.error');
    case 'cancelled':
      return translate(lang, 'case.sys.cancelled');
    case 'manual':
      return translate(lang, s.task === 'done' ? 'case.sys.manual_done' : s.task === 'cancelled' ? 'case.sys.manual_cancelled' : 'case.sys.manual_open');
  }
}

/** What went wrong, in words: a secret problem in `lang`, any other error by its reason code
 * (the desk's own words only for an error without one). */
export function errorText(lang: Lang, s: SystemState): string | null {
  if (s.kind !== 'error') return null;
  if (s.secret) {
    return translate(lang, s.secret.problem === 'missing' ? 'case.sys.secret_missing' : 'case.sys.secret_not_allowed', { name: s.secret.name });
  }
  return s.message === null ? null : reasonText(lang, { message: s.message, reason: s.reason, params: s.params });
}

/** Whether "search again" is offered: only for a system that was searched (not a manual one) and is still listed. */
export function canRerun(line: SystemLine, s: SystemState): boolean {
  return line.listed && !line.manual && (s.kind === 'found' || s.kind === 'error' || s.kind === 'cancelled');
}

/** Whether "show records" is offered: the system's search found some. */
export function hasRecords(s: SystemState): boolean {
  return s.kind === 'found' && s.records > 0;
}
