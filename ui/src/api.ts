// Typed client for the Tauri commands of the desktop shell (src-tauri/).
//
// The wire types are generated from the Rust DTOs by ts-rs into src/bindings/ (see
// src-tauri/src/dto.rs; a Rust test fails when they are stale) and re-exported here.
// Field names are snake_case because they are the serde names of the Rust DTOs. Numbers are
// `number`: the shell is expected to mark u64/i64 fields `#[ts(type = "number")]` (counts and
// day differences stay far below 2^53).

import { invoke as tauriInvoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
export type { CaseDetail } from './bindings/CaseDetail';
export type { CasePage } from './bindings/CasePage';
export type { CaseQuery } from './bindings/CaseQuery';
export type { CaseRow } from './bindings/CaseRow';
export type { Dashboard } from './bindings/Dashboard';
export type { DeadlineDto } from './bindings/DeadlineDto';
export type { DeskStatus } from './bindings/DeskStatus';
export type { DocumentDto } from './bindings/DocumentDto';
export type { ErrorCode } from './bindings/ErrorCode';
export type { ExportDone } from './bindings/ExportDone';
export type { ExportProgressDto } from './bindings/ExportProgressDto';
export type { IdentifierDto } from './bindings/IdentifierDto';
export type { LetterSaved } from './bindings/LetterSaved';
export type { MonthCount } from './bindings/MonthCount';
export type { NewCaseInput } from './bindings/NewCaseInput';
export type { PullProgress } from './bindings/PullProgress';
export type { PullSummary } from './bindings/PullSummary';
export type { RightCount } from './bindings/RightCount';
export type { SubjectDto } from './bindings/SubjectDto';
export type { SystemResultDto } from './bindings/SystemResultDto';
export type { SystemRow } from './bindings/SystemRow';
export type { RegisterImportPreviewDto } from './bindings/RegisterImportPreviewDto';
export type { SystemTestDto } from './bindings/SystemTestDto';
export type { TaskDto } from './bindings/TaskDto';
export type { TimelineEvent } from './bindings/TimelineEvent';
import type { CaseDetail } from './bindings/CaseDetail';
import type { CasePage } from './bindings/CasePage';
import type { CaseQuery } from './bindings/CaseQuery';
import type { Dashboard } from './bindings/Dashboard';
import type { DeskStatus } from './bindings/DeskStatus';
import type { ErrorCode } from './bindings/ErrorCode';
import type { ExportDone } from './bindings/ExportDone';
import type { ExportProgressDto } from './bindings/ExportProgressDto';
import type { LetterSaved } from './bindings/LetterSaved';
import type { NewCaseInput } from './bindings/NewCaseInput';
import type { PullProgress } from './bindings/PullProgress';
import type { PullSummary } from './bindings/PullSummary';
import type { SystemRow } from './bindings/SystemRow';
import type { RegisterImportPreviewDto } from './bindings/RegisterImportPreviewDto';
import type { SystemTestDto } from './bindings/SystemTestDto';
export type { EvidenceDto } from './bindings/EvidenceDto';
export type { LetterPreview } from './bindings/LetterPreview';
export type { LetterTextDto } from './bindings/LetterTextDto';
export type { LetterSent } from './bindings/LetterSent';
export type { RecordField } from './bindings/RecordField';
export type { RegisterExported } from './bindings/RegisterExported';
export type { SystemFieldsDto } from './bindings/SystemFieldsDto';
import type { EvidenceDto } from './bindings/EvidenceDto';
import type { LetterPreview } from './bindings/LetterPreview';
import type { LetterTextDto } from './bindings/LetterTextDto';
import type { LetterSent } from './bindings/LetterSent';
import type { RegisterExported } from './bindings/RegisterExported';
import type { SystemFieldsDto } from './bindings/SystemFieldsDto';
// Acting on a request: plan, carry out, verify, notices.
export type { ActedSystemDto } from './bindings/ActedSystemDto';
export type { ActProgressDto } from './bindings/ActProgressDto';
export type { ActReportDto } from './bindings/ActReportDto';
export type { AnswerDto } from './bindings/AnswerDto';
export type { CaseActionsDto } from './bindings/CaseActionsDto';
export type { LetterReadinessDto } from './bindings/LetterReadinessDto';
export type { NoticeDto } from './bindings/NoticeDto';
export type { PlanDto } from './bindings/PlanDto';
export type { PlannedStatementDto } from './bindings/PlannedStatementDto';
export type { SystemOutcomeDto } from './bindings/SystemOutcomeDto';
export type { SystemPlanDto } from './bindings/SystemPlanDto';
export type { VerifiedDto } from './bindings/VerifiedDto';
import type { ActProgressDto } from './bindings/ActProgressDto';
import type { ActReportDto } from './bindings/ActReportDto';
import type { CaseActionsDto } from './bindings/CaseActionsDto';
import type { VerifiedDto } from './bindings/VerifiedDto';
// The weekly round: the dashboard's "Needs you", corrections of a rectification.
export type { CorrectionDto } from './bindings/CorrectionDto';
export type { CorrectionInput } from './bindings/CorrectionInput';
export type { NeedDto } from './bindings/NeedDto';
export type { NeedsYouDto } from './bindings/NeedsYouDto';
export type { QueueItemDto } from './bindings/QueueItemDto';
import type { CorrectionDto } from './bindings/CorrectionDto';
import type { CorrectionInput } from './bindings/CorrectionInput';
import type { NeedsYouDto } from './bindings/NeedsYouDto';
import type { QueueItemDto } from './bindings/QueueItemDto';
// Settings screen.
export type { BackupDto } from './bindings/BackupDto';
export type { CaseDefaultsDto } from './bindings/CaseDefaultsDto';
export type { ControllerDto } from './bindings/ControllerDto';
export type { DueSoonDto } from './bindings/DueSoonDto';
export type { DueWindowDto } from './bindings/DueWindowDto';
export type { RemindersDto } from './bindings/RemindersDto';
export type { RestoreDto } from './bindings/RestoreDto';
export type { SettingsDto } from './bindings/SettingsDto';
export type { SecretDto } from './bindings/SecretDto';
export type { SafetyDto } from './bindings/SafetyDto';
export type { SecretBlockDto } from './bindings/SecretBlockDto';
export type { SmtpDto } from './bindings/SmtpDto';
export type { SmtpInput } from './bindings/SmtpInput';
import type { BackupDto } from './bindings/BackupDto';
import type { CaseDefaultsDto } from './bindings/CaseDefaultsDto';
import type { ControllerDto } from './bindings/ControllerDto';
import type { DueSoonDto } from './bindings/DueSoonDto';
import type { RemindersDto } from './bindings/RemindersDto';
import type { RestoreDto } from './bindings/RestoreDto';
import type { SettingsDto } from './bindings/SettingsDto';
import type { SecretDto } from './bindings/SecretDto';
import type { SafetyDto } from './bindings/SafetyDto';
import type { SmtpDto } from './bindings/SmtpDto';
import type { SmtpInput } from './bindings/SmtpInput';

// Inbox (request e-mails → proposed cases) and New case's duplicate hint.
export type { AttachmentDto } from './bindings/AttachmentDto';
export type { DuplicateDto } from './bindings/DuplicateDto';
export type { DuplicateHintDto } from './bindings/DuplicateHintDto';
export type { DuplicateQuery } from './bindings/DuplicateQuery';
export type { InboxAddedDto } from './bindings/InboxAddedDto';
export type { ProposalDto } from './bindings/ProposalDto';
export type { ProposalEdits } from './bindings/ProposalEdits';
export type { ProposalWarningDto } from './bindings/ProposalWarningDto';
export type { RefusedFileDto } from './bindings/RefusedFileDto';
import type { DuplicateHintDto } from './bindings/DuplicateHintDto';
import type { DuplicateQuery } from './bindings/DuplicateQuery';
import type { InboxAddedDto } from './bindings/InboxAddedDto';
import type { ProposalDto } from './bindings/ProposalDto';
import type { ProposalEdits } from './bindings/ProposalEdits';
export type { ImapInput } from './bindings/ImapInput';
export type { ImapSettingsDto } from './bindings/ImapSettingsDto';
export type { MailboxProgressDto } from './bindings/MailboxProgressDto';
export type { MailboxReadDto } from './bindings/MailboxReadDto';
import type { ImapInput } from './bindings/ImapInput';
import type { ImapSettingsDto } from './bindings/ImapSettingsDto';
import type { MailboxProgressDto } from './bindings/MailboxProgressDto';
import type { MailboxReadDto } from './bindings/MailboxReadDto';
// The case's identity checks, requester, linked cases and identifiers found on the way.
export type { CaseIntakeDto } from './bindings/CaseIntakeDto';
export type { IdentityCheckDto } from './bindings/IdentityCheckDto';
export type { IdentityInput } from './bindings/IdentityInput';
export type { LinkedDto } from './bindings/LinkedDto';
export type { MatchedInDto } from './bindings/MatchedInDto';
export type { RequesterDto } from './bindings/RequesterDto';
export type { RequesterInput } from './bindings/RequesterInput';
export type { YieldedDto } from './bindings/YieldedDto';
import type { CaseIntakeDto } from './bindings/CaseIntakeDto';
import type { IdentityInput } from './bindings/IdentityInput';
import type { RequesterInput } from './bindings/RequesterInput';
import type { RegisterProblemDto } from './bindings/RegisterProblemDto';

/** Error as serialised by every command. */
export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  /** A stable code of the exact problem the UI words itself (backup and restore errors). */
  reason?: string;
}

export type CaseSort = 'due' | 'received' | 'reference';

const CODES: readonly ErrorCode[] = [
  'invalid-input',
  'not-found',
  'wrong-passphrase',
  'locked',
  'conflict',
  'connector',
  'cancelled',
  'internal',
];

/** A failed command, with the shell's closed error code. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly reason?: string;
  /** The reason's parameters (field names, ids, codes, dates, counts). */
  readonly params: Readonly<Record<string, string>>;
  /** A refused register's problems, each with its place and code (`register.invalid`). */
  readonly problems: readonly RegisterProblemDto[];
  constructor(code: ErrorCode, message: string, reason?: string, params: Readonly<Record<string, string>> = {}, problems: readonly RegisterProblemDto[] = []) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.reason = reason;
    this.params = params;
    this.problems = problems;
  }
}

/** The well-formed entries of an error's `problems` (anything else is dropped). */
function problemList(raw: unknown): RegisterProblemDto[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((p): p is Record<string, unknown> => typeof p === 'object' && p !== null)
    .filter((p) => typeof p.path === 'string' && typeof p.code === 'string' && typeof p.text === 'string')
    .map((p) => ({ path: p.path as string, code: p.code as string, text: p.text as string, params: stringParams(p.params) }));
}

/** The string-valued entries of an error's `params` (anything else is dropped). */
function stringParams(raw: unknown): Record<string, string> {
  if (typeof raw !== 'object' || raw === null) return {};
  return Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * Turns whatever a rejected `invoke` carries into an ApiError. The shell sends `{code, message}`;
 * anything else (a Tauri-level failure such as an unknown command, or no Tauri at all when the
 * UI runs in a plain browser) becomes `internal` so callers only ever see one shape.
 */
export function toApiError(raw: unknown): ApiError {
  if (raw instanceof ApiError) return raw;
  if (typeof raw === 'object' && raw !== null && 'code' in raw && 'message' in raw) {
    const { code, message, reason, params, problems } = raw as { code: unknown; message: unknown; reason?: unknown; params?: unknown; problems?: unknown };
    if (typeof code === 'string' && (CODES as readonly string[]).includes(code)) {
      return new ApiError(code as ErrorCode, String(message), typeof reason === 'string' ? reason : undefined, stringParams(params), problemList(problems));
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

/** A command whose argument is raw bytes (no JSON on the way), with text in headers. */
async function callRaw<T>(name: string, bytes: Uint8Array, headers: Record<string, string>): Promise<T> {
  try {
    return await tauriInvoke<T>(name, bytes, { headers });
  } catch (raw) {
    throw toApiError(raw);
  }
}

// Tauri v2 maps camelCase argument keys to the Rust parameters' snake_case names (`outPath` →
// `out_path`); struct arguments (`query`, `input`) keep their serde field names.

export const api = {
  deskStatus: () => call<DeskStatus>('desk_status'),
  lockDesk: () => call<null>('lock_desk'),
  uiReady: () => call<null>('ui_ready'),
  unlock: (passphrase: string) => call<null>('unlock', { passphrase }),
  createDesk: (passphrase: string) => call<null>('create_desk', { passphrase }),
  openDemo: () => call<null>('open_demo'),
  dashboard: () => call<Dashboard>('dashboard'),
  listCases: (query: CaseQuery) => call<CasePage>('list_cases', { query }),
  /** Every case matching the list's filter (not one page) as the yearly-report CSV; returns the count. */
  exportCasesCsv: (query: CaseQuery, path: string) => call<number>('export_cases_csv', { query, path }),
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
  /** A letter the register has gaps for is refused (`conflict`, `gaps: …`) unless `acceptGaps` says why. */
  saveLetter: (reference: string, kind: string, lang: string | null, text: LetterTextDto, outPath: string, acceptGaps: string | null = null) =>
    call<LetterSaved>('save_letter', { reference, kind, lang, text, out_path: outPath, accept_gaps: acceptGaps }),
  /** The letter marked as a draft on every page: nothing recorded, nothing sent. */
  saveLetterDraft: (reference: string, kind: string, lang: string | null, text: LetterTextDto, outPath: string) =>
    call<LetterSaved>('save_letter_draft', { reference, kind, lang, text, out_path: outPath }),
  exportBundle: (reference: string, outPath: string, password: string | null) =>
    call<ExportDone>('export_bundle', { reference, out_path: outPath, password }),
  cancelExport: (reference: string) => call<null>('cancel_export', { reference }),
  /** Opens a stored document of the case in the system's viewer (only ids cross; the desk picks the file). */
  openDocument: (reference: string, id: string) => call<null>('open_document', { reference, id }),
  registerSystems: () => call<SystemRow[]>('register_systems'),
  importRegister: (path: string) => call<number>('import_register', { path }),
  previewRegisterImport: (path: string) => call<RegisterImportPreviewDto>('preview_register_import', { path }),
  importRegisterPreviewed: (path: string, sha256: string) => call<number>('import_register_previewed', { path, sha256 }),
  testSystems: (ids: string[]) => call<SystemTestDto[]>('test_systems', { ids }),
  // Case screen: record preview, tasks, letter preview and e-mail.
  caseEvidence: (reference: string, system: string | null) =>
    call<EvidenceDto[]>('case_evidence', { reference, system }),
  completeTask: (reference: string, taskId: string) =>
    call<CaseDetail>('complete_task', { reference, task_id: taskId }),
  previewLetter: (reference: string, kind: string, lang: string | null, text: LetterTextDto) =>
    call<LetterPreview>('preview_letter', { reference, kind, lang, text }),
  sendLetter: (
    reference: string,
    kind: string,
    lang: string | null,
    text: LetterTextDto,
    send: boolean,
    emlPath: string | null,
    acceptGaps: string | null = null,
  ) => call<LetterSent>('send_letter', { reference, kind, lang, text, send, eml_path: emlPath, accept_gaps: acceptGaps }),
  // Register editor.
  exportRegister: (outPath: string) => call<RegisterExported>('export_register', { out_path: outPath }),
  registerSystem: (id: string) => call<SystemFieldsDto>('register_system', { id }),
  saveSystem: (id: string, fields: SystemFieldsDto) => call<number>('save_system', { id, fields }),
  addManualSystem: (id: string, contactEmail: string, fields: SystemFieldsDto) =>
    call<number>('add_manual_system', { id, contact_email: contactEmail, fields }),
  // Acting on a request (SPEC §10).
  caseActions: (reference: string) => call<CaseActionsDto>('case_actions', { reference }),
  planCase: (reference: string) => call<CaseActionsDto>('plan_case', { reference }),
  actCase: (reference: string, planId: string, systems: string[]) =>
    call<ActReportDto>('act_case', { reference, plan_id: planId, systems }),
  cancelActing: (reference: string) => call<null>('cancel_acting', { reference }),
  verifyCase: (reference: string) => call<VerifiedDto[]>('verify_case', { reference }),
  /** `status` sent (with `on` and `channel`) or impossible / disproportionate (with `reason`). */
  updateNotice: (
    reference: string,
    noticeId: string,
    status: 'sent' | 'impossible' | 'disproportionate',
    on: string | null,
    channel: string | null,
    reason: string | null,
  ) => call<CaseActionsDto>('update_notice', { reference, notice_id: noticeId, status, on, channel, reason }),
  /** The answer to an act-by-hand or manual-search task; `replyPath` names the reply file to keep. */
  recordAnswer: (
    reference: string,
    taskId: string,
    on: string | null,
    confirmed: string,
    note: string | null,
    replyPath: string | null,
  ) => call<CaseDetail>('record_answer', { reference, task_id: taskId, on, confirmed, note, reply_path: replyPath }),
  caseCorrections: (reference: string) => call<CorrectionDto[]>('case_corrections', { reference }),
  addCorrection: (reference: string, correction: CorrectionInput) =>
    call<CorrectionDto[]>('add_correction', { reference, correction }),
  needsYou: () => call<NeedsYouDto>('needs_you'),
  workQueue: () => call<QueueItemDto[]>('work_queue'),
  // Inbox: proposals from request e-mails, kept by the shell until accepted or dismissed.
  inboxList: () => call<ProposalDto[]>('inbox_list'),
  /** One dropped file's bytes; its name travels percent-encoded in a header. */
  inboxAddBytes: (fileName: string, bytes: Uint8Array) =>
    callRaw<InboxAddedDto>('inbox_add_bytes', bytes, { 'x-file-name': encodeURIComponent(fileName) }),
  inboxAddFiles: (paths: string[]) => call<InboxAddedDto>('inbox_add_files', { paths }),
  /** Creates the case; resolves to its reference. */
  inboxAccept: (id: string, edits: ProposalEdits) => call<string>('inbox_accept', { id, edits }),
  inboxDismiss: (id: string) => call<ProposalDto[]>('inbox_dismiss', { id }),
  /** Reads the intake mailbox into the Inbox; progress as `mailbox-progress` events. */
  /** `since` (YYYY-MM-DD or null): only messages that arrived on or after that day. */
  inboxReadMailbox: (since: string | null) => call<MailboxReadDto>('inbox_read_mailbox', { since }),
  cancelMailboxRead: () => call<null>('cancel_mailbox_read'),
  getImap: () => call<ImapSettingsDto | null>('get_imap'),
  saveImap: (input: ImapInput) => call<ImapSettingsDto>('save_imap', { input }),
  /** An open case (or one closed within 12 months) with one of these identifiers. */
  findDuplicate: (query: DuplicateQuery) => call<DuplicateHintDto | null>('find_duplicate', { query }),
  // The case's identity, requester, links and found identifiers.
  caseIntake: (reference: string) => call<CaseIntakeDto>('case_intake', { reference }),
  recordIdentity: (reference: string, input: IdentityInput) => call<CaseIntakeDto>('record_identity', { reference, input }),
  setRequester: (reference: string, input: RequesterInput) => call<CaseIntakeDto>('set_requester', { reference, input }),
  clearRequester: (reference: string) => call<CaseIntakeDto>('clear_requester', { reference }),
  setSalutation: (reference: string, form: string, familyName: string | null) =>
    call<CaseIntakeDto>('set_salutation', { reference, form, family_name: familyName }),
  linkCase: (reference: string, other: string) => call<CaseIntakeDto>('link_case', { reference, other }),
  unlinkCase: (reference: string, other: string) => call<CaseIntakeDto>('unlink_case', { reference, other }),
  dropYielded: (reference: string, kind: string, value: string) => call<CaseIntakeDto>('drop_yielded', { reference, kind, value }),
  // Settings screen.
  getSettings: () => call<SettingsDto>('get_settings'),
  listSecrets: () => call<SecretDto[]>('list_secrets'),
  setSecret: (name: string, value: string) => call<SecretDto[]>('set_secret', { name, value }),
  allowSecret: (name: string, system: string) => call<SecretDto[]>('allow_secret', { name, system }),
  /** Demo or not, the idle time before the desk locks, the last backup. */
  safetyStatus: () => call<SafetyDto>('safety_status'),
  saveIdleLock: (minutes: number) => call<SafetyDto>('save_idle_lock', { minutes }),
  saveController: (controller: ControllerDto) => call<ControllerDto>('save_controller', { controller }),
  saveCaseDefaults: (defaults: CaseDefaultsDto) => call<CaseDefaultsDto>('save_case_defaults', { defaults }),
  saveSmtp: (input: SmtpInput) => call<SmtpDto>('save_smtp', { input }),
  sendTestEmail: () => call<string>('send_test_email'),
  saveReminders: (reminders: RemindersDto) => call<RemindersDto>('save_reminders', { reminders }),
  dueReminders: () => call<DueSoonDto>('due_reminders'),
  remindersShown: () => call<DueSoonDto>('reminders_shown'),
  changePassphrase: (current: string, next: string, repeat: string) =>
    call<null>('change_passphrase', { current, new: next, repeat }),
  backupDatabase: (path: string) => call<BackupDto>('backup_database', { path }),
  restoreDatabase: (path: string, passphrase: string) =>
    call<RestoreDto>('restore_database', { path, passphrase }),
};

/** Subscribes to `pull-progress` events; resolves to the function that unsubscribes. */
export function onPullProgress(handler: (p: PullProgress) => void): Promise<UnlistenFn> {
  return listen<PullProgress>('pull-progress', (event) => handler(event.payload));
}

/** Subscribes to `export-progress` events; resolves to the function that unsubscribes. */
export function onExportProgress(handler: (p: ExportProgressDto) => void): Promise<UnlistenFn> {
  return listen<ExportProgressDto>('export-progress', (event) => handler(event.payload));
}

/** Subscribes to `act-progress` events (one per system carried out); resolves to the unsubscriber. */
export function onActProgress(handler: (p: ActProgressDto) => void): Promise<UnlistenFn> {
  return listen<ActProgressDto>('act-progress', (event) => handler(event.payload));
}

/** Subscribes to `mailbox-progress` events (n of total messages read); resolves to the unsubscriber. */
export function onMailboxProgress(handler: (p: MailboxProgressDto) => void): Promise<UnlistenFn> {
  return listen<MailboxProgressDto>('mailbox-progress', (event) => handler(event.payload));
}
