// The dashboard's "Needs you": what acting left for the DPO across all cases, in three groups
// with their words, kept out of the component so vitest can check it without a window.

import type { NeedDto, NeedsYouDto } from '../api';
import { formatDate } from './dates';
import { translate, type Key, type Lang } from './i18n';

/** One group of the list: its heading, how its dates read, and its items (oldest first). */
export interface NeedGroup {
  id: 'follow-ups' | 'answers' | 'notices';
  heading: Key;
  since: Key;
  items: NeedDto[];
}

/** The groups that have something in them, in the order a DPO works them off. */
export function needGroups(n: NeedsYouDto): NeedGroup[] {
  const groups: NeedGroup[] = [
    { id: 'follow-ups', heading: 'dash.needs.follow_ups', since: 'dash.needs.since_follow_up', items: n.follow_ups_due },
    { id: 'answers', heading: 'dash.needs.answers', since: 'dash.needs.since_answer', items: n.answers_overdue },
    { id: 'notices', heading: 'dash.needs.notices', since: 'dash.needs.since_notice', items: n.notices_open },
  ];
  return groups.filter((g) => g.items.length > 0);
}

/** How many things need the DPO in all. */
export function needCount(n: NeedsYouDto): number {
  return n.follow_ups_due.length + n.answers_overdue.length + n.notices_open.length;
}

/** "erasure due since 31 Dec 2034" / "answer due since …" / "open since …". */
export function sinceText(lang: Lang, group: Pick<NeedGroup, 'since'>, need: Pick<NeedDto, 'since'>): string {
  return translate(lang, group.since, { date: formatDate(need.since, lang) });
}
