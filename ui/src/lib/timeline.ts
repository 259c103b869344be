// The case timeline in words: each audit event (codes, dates and counts only — the audit trail
// holds no personal data) as one sentence in the UI language, who did it, and when. The raw
// details stay available behind a toggle on the screen.

import type { TimelineEvent } from '../api';
import { countPhrases, inSystems, planCounts, recordsWord, systemsWord, type PlanCounts } from './acting';
import { codeText } from './codes';
import { formatDate } from './dates';
import { translate, type Key, type Lang } from './i18n';

type Json = Record<string, unknown>;

/** The event's details as an object; anything else (or broken JSON) as an empty one. */
export function details(ev: Pick<TimelineEvent, 'details'>): Json {
  try {
    const v: unknown = JSON.parse(ev.details);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
  } catch {
    return {};
  }
}

/** The details pretty-printed for the raw view (as stored when they are not JSON). */
export function rawDetails(ev: Pick<TimelineEvent, 'details'>): string {
  try {
    return JSON.stringify(JSON.parse(ev.details), null, 2);
  } catch {
    return ev.details;
  }
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => typeof x === 'object' && x !== null) : []);

/** Who: `app:anna` → "anna (app)", `cli:anna` → "anna (command line)"; anything else as is. */
export function actorLabel(lang: Lang, actor: string): string {
  const at = actor.indexOf(':');
  if (at < 0) return actor;
  const [source, user] = [actor.slice(0, at), actor.slice(at + 1)];
  if (source === 'app') return translate(lang, 'tl.actor.app', { user });
  if (source === 'cli') return translate(lang, 'tl.actor.cli', { user });
  return actor;
}

/** An RFC 3339 instant as the local day and time: `21 Nov 2026, 14:05` / `21.11.2026, 14:05`. */
export function formatInstant(at: string, lang: Lang): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${formatDate(day, lang)}, ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Statements of one system as logged: `{name, action, rows}`. */
interface Statement {
  name: string;
  action: string;
  rows: number;
}

const statements = (v: unknown): Statement[] => list(v).map((s) => ({ name: str(s.name), action: str(s.action), rows: num(s.rows) }));

/**
 * "restricted 3 records (orders) until 31 Dec 2034": what the restrict statements of systems
 * did, with the datasets' names and the retention's end when there is one.
 */
function restricted(lang: Lang, rows: number, names: string[], until: string): string {
  const what = names.length > 0 ? `${recordsWord(lang, rows)} (${[...new Set(names)].join(', ')})` : recordsWord(lang, rows);
  return until
    ? translate(lang, 'tl.restricted_until', { records: what, date: formatDate(until, lang) })
    : translate(lang, 'tl.restricted', { records: what });
}

/**
 * One run's systems (`system.acted` events) summed: erased, restricted (names, until), tasks,
 * failures. For one system's own line (`one`) the erasure does not repeat "in 1 system".
 */
function runSummary(lang: Lang, systems: Json[], one = false): string[] {
  let [erased, erasedIn, restrictedRows, tasks, failed] = [0, 0, 0, 0, 0];
  const names: string[] = [];
  const untils = new Set<string>();
  for (const s of systems) {
    const sts = statements(s.statements);
    const e = sts.filter((x) => x.action === 'erase').reduce((n, x) => n + x.rows, 0);
    const r = sts.filter((x) => x.action === 'restrict' && x.rows > 0);
    erased += e;
    if (e > 0) erasedIn += 1;
    restrictedRows += r.reduce((n, x) => n + x.rows, 0);
    names.push(...r.map((x) => x.name));
    if (r.length > 0 && str(s.retained_until)) untils.add(str(s.retained_until));
    if (str(s.status) === 'task') tasks += 1;
    if (str(s.status) === 'error') failed += 1;
  }
  const parts: string[] = [];
  if (erased > 0 && one) parts.push(translate(lang, 'act.erased_n', { records: recordsWord(lang, erased) }));
  else if (erased > 0) parts.push(translate(lang, 'tl.erased', { records: recordsWord(lang, erased), systems: inSystems(lang, erasedIn) }));
  if (restrictedRows > 0) parts.push(restricted(lang, restrictedRows, names, untils.size === 1 ? [...untils][0] ?? '' : ''));
  if (tasks > 0) parts.push(tasks === 1 ? translate(lang, 'tl.task_one') : translate(lang, 'tl.tasks', { n: tasks }));
  if (failed > 0) parts.push(translate(lang, 'tl.failed', { systems: systemsWord(lang, failed) }));
  return parts;
}

const capital = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

/** The plan's counts from a `case.planned` event's systems. */
function plannedCounts(d: Json): PlanCounts {
  return planCounts({ systems: list(d.systems).map((s) => ({ action: str(s.action), statements: statements(s.statements) })), suppress: d.suppress === true });
}

/** How an event reads on the timeline. */
export interface Described {
  /** One sentence in the UI language. */
  text: string;
  /** A step inside a larger one (one system of a run): shown smaller. */
  minor: boolean;
}

/**
 * `ev` in words. `all` is the case's whole timeline (a run's summary sums the systems acted
 * on since the previous run); `name` gives a system's name from its id.
 */
export function describe(ev: TimelineEvent, all: readonly TimelineEvent[], lang: Lang, name: (id: string) => string): Described {
  const d = details(ev);
  const tr = (key: Key, params?: Record<string, string | number>) => translate(lang, key, params);
  const day = (v: unknown) => formatDate(str(v), lang);
  const major = (text: string): Described => ({ text, minor: false });
  switch (ev.action) {
    case 'case.created':
      return major(
        tr('tl.created', {
          rights: Array.isArray(d.rights) ? d.rights.map((r) => codeText(lang, 'right', String(r))).join(', ') : '',
          received: day(d.received),
          channel: codeText(lang, 'channel', str(d.channel)),
          due: day(d.due),
        }),
      );
    case 'case.paused':
      return major(tr(str(d.reason) === 'identity' ? 'tl.paused_identity' : 'tl.paused_clarification', { date: day(d.from) }));
    case 'case.resumed':
      return major(tr('tl.resumed', { date: day(d.on) }));
    case 'case.extended':
      return major(tr('tl.extended', { date: day(d.extended_due) }));
    case 'case.status-changed':
      return major(tr('tl.status', { from: codeText(lang, 'status', str(d.from)), to: codeText(lang, 'status', str(d.to)) }));
    case 'case.closed':
      return major(tr('tl.closed', { date: day(d.on), outcome: codeText(lang, 'outcome', str(d.outcome)) }));
    case 'case.pulled': {
      const systems = list(d.systems);
      const records = systems.reduce((n, s) => n + num(s.records), 0);
      const failed = systems.filter((s) => str(s.status) === 'error').length;
      let text = tr('tl.pulled', { systems: systemsWord(lang, systems.length), records: recordsWord(lang, records) });
      if (failed > 0) text += ` · ${tr('tl.failed', { systems: systemsWord(lang, failed) })}`;
      if (d.cancelled === true) text += ` · ${tr('tl.cancelled')}`;
      return major(text);
    }
    case 'task.done':
      return major(tr('tl.task_done', { system: name(str(d.system)) }));
    case 'task.answered':
      return major(tr('tl.task_answered', { system: name(str(d.system)), confirmed: codeText(lang, 'confirmed', str(d.confirmed)), date: day(d.answered_on) }));
    case 'letter.saved': {
      let text = tr('tl.letter_saved', { kind: codeText(lang, 'letter', str(d.kind)), lang: str(d.language).toUpperCase() });
      // The DPO's reason is what the final letter went out on: said in full, not only flagged.
      if (typeof d.gaps_accepted === 'string') {
        const reason = d.gaps_accepted.trim();
        text += ` · ${reason ? tr('tl.gaps_accepted_because', { reason }) : tr('tl.gaps_accepted')}`;
      }
      return major(text);
    }
    case 'letter.sent':
      return major(tr('tl.letter_sent', { kind: codeText(lang, 'letter', str(d.kind)) }));
    case 'document.saved': {
      const size = `${Math.max(1, Math.ceil(num(d.bytes) / 1024))} KB`;
      return major(str(d.kind) === 'bundle' ? tr('tl.bundle_saved', { size }) : tr('tl.document_saved', { kind: codeText(lang, 'letter', str(d.kind)), size }));
    }
    case 'case.planned': {
      const parts = countPhrases(lang, plannedCounts(d));
      return major(tr('tl.planned', { what: parts.length > 0 ? parts.join(', ') : tr('tl.nothing_to_change') }));
    }
    case 'plan.approved':
      return major(tr('tl.approved', { records: recordsWord(lang, num(d.rows)) }));
    case 'system.acted': {
      const system = name(str(d.system));
      const status = str(d.status);
      let what: string;
      if (status === 'error') what = tr('tl.system_failed');
      else if (status === 'task') what = tr('tl.system_task');
      else if (status === 'skipped') what = tr('tl.system_skipped');
      else {
        const parts = runSummary(lang, [d], true);
        what = parts.length > 0 ? parts.join(', ') : tr('tl.system_unchanged');
      }
      if (d.resumed === true) what += ` (${tr('tl.resumed_run')})`;
      return { text: `${system}: ${what}`, minor: true };
    }
    case 'case.acted': {
      // The run's systems: those acted on after the previous run of the same plan.
      const at = all.findIndex((e) => e.seq === ev.seq);
      const before = all.slice(0, at < 0 ? all.length : at);
      const previous = before.map((e) => e.action).lastIndexOf('case.acted');
      const run = before.slice(previous + 1).filter((e) => e.action === 'system.acted').map(details).filter((x) => str(x.plan) === str(d.plan));
      const parts = runSummary(lang, run);
      if (num(d.notices) > 0) parts.push(num(d.notices) === 1 ? tr('tl.notice_one') : tr('tl.notices', { n: num(d.notices) }));
      if (num(d.suppressed) > 0) parts.push(tr('tl.suppressed'));
      if (d.cancelled === true) parts.push(tr('tl.cancelled'));
      return major(parts.length > 0 ? capital(parts.join(' · ')) : tr('tl.acted_nothing'));
    }
    case 'case.verified': {
      const systems = list(d.systems);
      if (systems.length === 0) return major(tr('tl.verified_nothing'));
      const bad = systems.filter((s) => s.ok !== true).map((s) => name(str(s.id)));
      return major(
        bad.length === 0
          ? tr('tl.verified_ok', { systems: systemsWord(lang, systems.length) })
          : tr('tl.verified_bad', { systems: systemsWord(lang, systems.length), names: bad.join(', ') }),
      );
    }
    case 'notice.updated': {
      const key: Key = str(d.status) === 'sent' ? 'tl.notice_sent' : str(d.status) === 'impossible' ? 'tl.notice_impossible' : 'tl.notice_disproportionate';
      return major(tr(key, { system: name(str(d.system)) }));
    }
    case 'case.corrections-noted':
      return major(tr('tl.corrections', { n: num(d.corrections) }));
    default:
      return major(tr('tl.other', { action: ev.action }));
  }
}

