import { describe, expect, it } from 'vitest';
import type { NeedDto, NeedsYouDto } from '../api';
import { needCount, needGroups, sinceText } from './needs';

const need = (id: string, since: string, system: string | null = 'Webshop'): NeedDto => ({
  reference: 'DSAR-2026-0001',
  system_id: system ? 'shop' : null,
  system_name: system,
  id,
  title: `Task ${id}`,
  since,
});

const none: NeedsYouDto = { follow_ups_due: [], answers_overdue: [], notices_open: [] };

describe('needGroups', () => {
  it('is empty when nothing needs the DPO', () => {
    expect(needGroups(none)).toEqual([]);
    expect(needCount(none)).toBe(0);
  });

  it('lists only groups with items, in the order they are worked off', () => {
    const n: NeedsYouDto = { follow_ups_due: [], answers_overdue: [need('a', '2026-11-28')], notices_open: [need('n1', '2026-11-21'), need('n2', '2026-11-22')] };
    const groups = needGroups(n);
    expect(groups.map((g) => [g.id, g.items.length])).toEqual([
      ['answers', 1],
      ['notices', 2],
    ]);
    expect(needCount(n)).toBe(3);
    expect(needGroups({ ...n, follow_ups_due: [need('f', '2034-12-31')] })[0]?.id).toBe('follow-ups');
  });
});

describe('sinceText', () => {
  it('says since when, in words, per group and language', () => {
    const [answers, notices] = needGroups({ ...none, answers_overdue: [need('a', '2026-11-28')], notices_open: [need('n', '2026-11-21')] });
    if (!answers || !notices) throw new Error('two groups');
    expect(sinceText('en', answers, { since: '2026-11-28' })).toBe('answer due since 28 Nov 2026');
    expect(sinceText('de', answers, { since: '2026-11-28' })).toBe('Antwort fällig seit 28.11.2026');
    expect(sinceText('en', notices, { since: '2026-11-21' })).toBe('open since 21 Nov 2026');
    const [followUps] = needGroups({ ...none, follow_ups_due: [need('f', '2034-12-31')] });
    if (!followUps) throw new Error('one group');
    expect(sinceText('en', followUps, { since: '2034-12-31' })).toBe('erasure due since 31 Dec 2034');
  });
});
