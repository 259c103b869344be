// Typed client for the Tauri commands of the desktop shell (src-tauri/).
//
// REPLACE-WITH-BINDINGS: the types below are declared by hand from the agreed command API
// until src-tauri/ generates them with ts-rs into src/bindings/. When that lands, delete the
// type declarations here and re-export them from './bindings/…'; keep the wrapper functions.
// Field names are snake_case because they are the serde names of the Rust DTOs. Numbers are
// `number`: the shell is expected to mark u64/i64 fields `#[ts(type = "number")]` (counts and
// day differences stay far below 2^53).

import { invoke as tauriInvoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

/** Closed set of error codes; the UI decides on these, never on message text. */
export type ErrorCode =
  | 'invalid-input'
  | 'not-found'
  | 'wrong-passphrase'
  | 'locked'
  | 'conflict'
  | 'connector'
  | 'internal';

/** Error as serialised by every command. */
export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
}

export interface DeskStatus {
  unlocked: boolean;
  db_path: string;
  exists: boolean;
}

export interface RightCount {
  right: string;
  open: number;
}

export interface MonthCount {
  /** YYYY-MM */
  month: string;
  received: number;
  closed: number;
}

export interface Dashboard {
  overdue: number;
  due_this_week: number;
  paused: number;
  open_by_right: RightCount[];
  per_month: MonthCount[];
  median_days_to_close: number | null;
}

export type CaseSort = 'due' | 'received' | 'reference';

export interface CaseQuery {
  status: string | null;
  overdue: boolean;
  open_only: boolean;
  right: string | null;
  search: string | null;
  sort: CaseSort;
  limit: number;
  offset: number;
}

export interface CaseRow {
  reference: string;
  status: string;
  rights: string[];
  subject_name: string;
  received: string;
  due: string;
  extended: boolean;
  days_left: number;
  overdue: boolean;
  outcome: string | null;
}

export interface CasePage {
  total: number;
  items: CaseRow[];
}

export interface IdentifierDto {
  kind: string;
  value: string;
}

export interface SubjectDto {
  name: string;
  address: string[];
  identifiers: IdentifierDto[];
}

export interface DeadlineDto {
  due: string;
  extension_notice_by: string | null;
  extended_due: string | null;
  acknowledge_by: string | null;
  effective_due: string;
  clock_stopped_since: string | null;
  days_left_calendar: number | null;
  days_left_working: number | null;
  explanation: string[];
}

export interface SystemResultDto {
  id: string;
  name: string;
  status: string;
  records: number;
  duration_ms: number;
  error: string | null;
}

export interface TaskDto {
  id: number;
  system_id: string | null;
  kind: string;
  title: string;
  body: string;
  status: string;
}

export interface DocumentDto {
  id: number;
  kind: string;
  language: string | null;
  file_name: string;
  bytes: number;
  created_at: string;
  sent_at: string | null;
}

export interface TimelineEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  details: string;
}

export interface CaseDetail {
  reference: string;
  status: string;
  rights: string[];
  channel: string;
  received: string;
  jurisdiction: string;
  region: string | null;
  language: string;
  subject: SubjectDto;
  deadline: DeadlineDto;
  extended_on: string | null;
  extension_reason: string | null;
  outcome: string | null;
  closed_on: string | null;
  systems: SystemResultDto[];
  tasks: TaskDto[];
  documents: DocumentDto[];
  timeline: TimelineEvent[];
}

export interface NewCaseInput {
  rights: string[];
  name: string;
  email: string | null;
  phone: string | null;
  /** KEY=VALUE */
  ids: string[];
  address: string[];
  received: string;
  jurisdiction: string | null;
  region: string | null;
  language: string | null;
  channel: string;
}

export interface PullSummary {
  systems: SystemResultDto[];
  cancelled: boolean;
}

export interface PullProgress {
  reference: string;
  system: string;
  phase: 'started' | 'finished';
  status: string | null;
  records: number | null;
}

export interface LetterSaved {
  file_name: string;
  gaps: string[];
}

export interface ExportDone {
  path: string;
  records: number;
  files: number;
}

export interface SystemRow {
  id: string;
  name: string;
  role: string;
  connector: string;
}

export interface SystemTestDto {
  id: string;
  ok: boolean;
  message: string;
}

const CODES: readonly ErrorCode[] = [
  'invalid-input',
  'not-found',
  'wrong-passphrase',
  'locked',
  'conflict',
  'connector',
  'internal',
];

/** A failed command, with the shell's closed error code. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

/**
 * Turns whatever a rejected `invoke` carries into an ApiError. The shell sends `{code, message}`;
 * anything else (a Tauri-level failure such as an unknown command, or no Tauri at all when the
 * UI runs in a plain browser) becomes `internal` so callers only ever see one shape.
 */
export function toApiError(raw: unknown): ApiError {
  if (raw instanceof ApiError) return raw;
  if (typeof raw === 'object' && raw !== null && 'code' in raw && 'message' in raw) {
    const { code, message } = raw as { code: unknown; message: unknown };
    if (typeof code === 'string' && (CODES as readonly string[]).includes(code)) {
      return new ApiError(code as ErrorCode, String(message));
    }
  }
  if (raw instanceof Error) return new ApiError('internal', raw.message);
  return new ApiError('internal', String(raw));
}

async function call<T>(name: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await tauriInvoke<T>(name, args);
  } catch (raw) {
    throw toApiError(raw);
  }
}

// Tauri v2 maps camelCase argument keys to the Rust parameters' snake_case names (`outPath` →
// `out_path`); struct arguments (`query`, `input`) keep their serde field names.

export const api = {
  deskStatus: () => call<DeskStatus>('desk_status'),
  unlock: (passphrase: string) => call<null>('unlock', { passphrase }),
  createDesk: (passphrase: string) => call<null>('create_desk', { passphrase }),
  openDemo: () => call<null>('open_demo'),
  dashboard: () => call<Dashboard>('dashboard'),
  listCases: (query: CaseQuery) => call<CasePage>('list_cases', { query }),
  getCase: (reference: string) => call<CaseDetail>('get_case', { reference }),
  createCase: (input: NewCaseInput) => call<string>('create_case', { input }),
  pauseCase: (reference: string, reason: string, from: string) =>
    call<CaseDetail>('pause_case', { reference, reason, from }),
  resumeCase: (reference: string, on: string) => call<CaseDetail>('resume_case', { reference, on }),
  extendCase: (reference: string, reason: string, on: string | null) =>
    call<CaseDetail>('extend_case', { reference, reason, on }),
  closeCase: (reference: string, outcome: string, on: string | null) =>
    call<CaseDetail>('close_case', { reference, outcome, on }),
  setCaseStatus: (reference: string, status: string) =>
    call<CaseDetail>('set_case_status', { reference, status }),
  pullCase: (reference: string, systems: string[]) =>
    call<PullSummary>('pull_case', { reference, systems }),
  cancelPull: (reference: string) => call<null>('cancel_pull', { reference }),
  saveLetter: (reference: string, kind: string, lang: string | null, outPath: string) =>
    call<LetterSaved>('save_letter', { reference, kind, lang, outPath }),
  exportBundle: (reference: string, outPath: string, password: string | null) =>
    call<ExportDone>('export_bundle', { reference, outPath, password }),
  registerSystems: () => call<SystemRow[]>('register_systems'),
  importRegister: (path: string) => call<number>('import_register', { path }),
  testSystems: (ids: string[]) => call<SystemTestDto[]>('test_systems', { ids }),
};

/** Subscribes to `pull-progress` events; resolves to the function that unsubscribes. */
export function onPullProgress(handler: (p: PullProgress) => void): Promise<UnlistenFn> {
  return listen<PullProgress>('pull-progress', (event) => handler(event.payload));
}
