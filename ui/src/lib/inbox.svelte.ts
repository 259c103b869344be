// The Inbox as the window holds it: the proposals (the shell keeps them until accepted or
// dismissed, so they survive screens and locking), the files just refused, the highlighted
// row and the DPO's corrections typed so far — module state, so leaving the screen loses nothing.

import { api, onMailboxProgress, type MailboxReadDto, type ProposalDto, type ProposalEdits, type RefusedFileDto } from '../api';
import { initialEdits } from './inbox';

export const inbox = $state<{
  items: ProposalDto[];
  refused: RefusedFileDto[];
  selected: number;
  edits: Record<string, ProposalEdits>;
  /** Files being read and proposed right now. */
  adding: number;
}>({ items: [], refused: [], selected: 0, edits: {}, adding: 0 });

/** Takes the shell's list, keeping the corrections of proposals still in it. */
export function setItems(items: ProposalDto[], focus?: string): void {
  inbox.items = items;
  const edits: Record<string, ProposalEdits> = {};
  for (const p of items) edits[p.id] = inbox.edits[p.id] ?? initialEdits(p);
  inbox.edits = edits;
  const at = focus ? items.findIndex((p) => p.id === focus) : -1;
  inbox.selected = at >= 0 ? at : Math.min(Math.max(inbox.selected, 0), Math.max(items.length - 1, 0));
}

/** Reloads the list from the shell. */
export async function refreshInbox(): Promise<void> {
  setItems(await api.inboxList());
}

/** Files dropped on the window (HTML5 drop): their bytes go to the shell one by one. */
export async function addDroppedFiles(files: File[]): Promise<void> {
  inbox.refused = [];
  inbox.adding += files.length;
  try {
    for (const f of files) {
      try {
        const r = await api.inboxAddBytes(f.name, new Uint8Array(await f.arrayBuffer()));
        inbox.refused.push(...r.refused);
        setItems(r.items, r.added[0]);
      } finally {
        inbox.adding -= 1;
      }
    }
  } catch (e) {
    inbox.adding = 0;
    throw e;
  }
}

/** Files chosen in the picker or dropped from the file manager (Tauri's drop event): paths. */
export async function addFilePaths(paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  inbox.refused = [];
  inbox.adding += paths.length;
  try {
    const r = await api.inboxAddFiles(paths);
    inbox.refused = r.refused;
    setItems(r.items, r.added[0]);
  } finally {
    inbox.adding = Math.max(0, inbox.adding - paths.length);
  }
}

/** A mailbox read: running with its progress, or how the last one ended. */
export const mailboxRead = $state<{
  running: boolean;
  done: number;
  total: number | null;
  result: MailboxReadDto | null;
  error: string | null;
  /** Only messages from this day on (`YYYY-MM-DD`), or all when empty. */
  since: string;
}>({ running: false, done: 0, total: null, result: null, error: null, since: '' });

/** Reads the intake mailbox into the Inbox, with progress; `describe` turns an error into words. */
export async function readMailbox(since: string | null, describe: (raw: unknown) => string): Promise<void> {
  if (mailboxRead.running) return;
  Object.assign(mailboxRead, { running: true, done: 0, total: null, result: null, error: null });
  let stop: (() => void) | null = null;
  try {
    stop = await onMailboxProgress((p) => {
      mailboxRead.done = p.done;
      mailboxRead.total = p.total;
    });
  } catch {
    // Without events the result still arrives; only the count stays still.
  }
  try {
    const r = await api.inboxReadMailbox(since);
    mailboxRead.result = r;
    inbox.refused = r.refused;
    setItems(r.items, r.added[0]);
  } catch (raw) {
    mailboxRead.error = describe(raw);
  } finally {
    stop?.();
    mailboxRead.running = false;
  }
}
