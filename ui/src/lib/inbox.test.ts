import { describe, expect, it } from 'vitest';
import { checkEdits, editField, fileSize, inboxKey, initialEdits, refusalText, warningText } from './inbox';
import type { ProposalDto } from '../bindings/ProposalDto';

const key = (k: string, tag = 'BODY') => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, targetTag: tag, targetEditable: false });

describe('warningText', () => {
  // Warnings as a proposal carries them: the core's sentence and its reason code.
  const core: [string, string, Record<string, string>, RegExp][] = [
    ['from', 'intake.warn.forwarded-attachment', {}, /^Als Anhang weitergeleitet/],
    ['from', 'intake.warn.forwarded-subject', {}, /^Der Betreff sagt „weitergeleitet“/],
    ['from', 'intake.warn.from-unusable', {}, /^Der Absender ist keine verwendbare/],
    ['from', 'intake.warn.from-missing', {}, /^Die Nachricht hat keine Absenderadresse/],
    ['name', 'intake.warn.no-name', {}, /^Kein Name in der Absenderzeile/],
    ['received', 'intake.warn.no-date', { today: '2026-11-21' }, /heute \(2026-11-21\) wurde angenommen/],
    ['received', 'intake.warn.future-date', { date: '2026-12-24', today: '2026-11-21' }, /in die Zukunft datiert \(2026-12-24\): heute \(2026-11-21\)/],
    ['received', 'intake.warn.no-register', { zone: 'Europe/Berlin' }, /Zeitzone Europe\/Berlin gelesen/],
    ['rights', 'intake.warn.no-right', {}, /^Im Text wurde kein Recht erkannt: die geltend gemachten Rechte auswählen\.$/],
    ['language', 'intake.warn.language', { lang: 'DE' }, /^Sprache nicht erkannt: DE/],
  ];
  it.each(core)('puts the core warning on %s (%s) into German words', (field, reason, params, want) => {
    const text = warningText('de', { field, message: 'the core sentence', reason, params });
    expect(text).toMatch(want);
    expect(text).not.toMatch(/dsar |the |is used/);
  });

  it('words a warning without its own code generically in German, in the core words in English', () => {
    const w = { field: 'from', message: 'something new', reason: 'intake.warn.other', params: { field: 'from' } };
    expect(warningText('de', w)).toBe('Bitte dieses Feld vor dem Übernehmen prüfen.');
    expect(warningText('en', w)).toBe('something new');
  });
});

describe('refusalText', () => {
  it('explains refused files in the UI language', () => {
    expect(refusalText('de', { message: 'not an e-mail', reason: 'intake.not-an-email', params: {} })).toMatch(/^Keine E-Mail: .*\.eml speichern/);
    expect(refusalText('de', { message: 'larger than 25 MB', reason: 'intake.too-large', params: {} })).toMatch(/^Größer als 25 MB/);
    expect(refusalText('en', { message: 'cannot read the file', reason: 'intake.read', params: {} })).toBe('The file cannot be read. Check the path and the permissions.');
  });
});

describe('inboxKey', () => {
  it('moves with arrows and j/k, accepts with Enter, dismisses with Delete or x', () => {
    expect(['ArrowDown', 'j', 'ArrowUp', 'k', 'Enter', 'Delete', 'x'].map((k) => inboxKey(key(k)))).toEqual(['next', 'next', 'previous', 'previous', 'accept', 'dismiss', 'dismiss']);
  });

  it('leaves keys to the field or button that has focus, and to modifier chords', () => {
    for (const tag of ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A']) expect(inboxKey(key('x', tag))).toBeNull();
    expect(inboxKey({ ...key('x'), ctrlKey: true })).toBeNull();
    expect(inboxKey({ ...key('Enter'), targetEditable: true })).toBeNull();
    expect(inboxKey(key('q'))).toBeNull();
  });
});

describe('edits', () => {
  const proposal: ProposalDto = {
    id: '1', file_name: 'a.eml', source: 'file', subject: 'Auskunft', excerpt: '', from: null, name: null,
    received: '2026-11-17', rights: ['access'], language: 'de', duplicate: null, attachments: [], warnings: [], sha256: '',
  };

  it('start from the guesses, blank where the core found nothing', () => {
    expect(initialEdits(proposal)).toEqual({ from: '', name: '', received: '2026-11-17', rights: ['access'], language: 'de' });
  });

  it('are checked at their fields before Accept', () => {
    expect(checkEdits(initialEdits(proposal), '2026-11-21')).toEqual({ from: 'new.err.email', name: 'new.err.name' });
    const ok = { ...initialEdits(proposal), from: 'erika@example.org', name: 'Erika' };
    expect(checkEdits(ok, '2026-11-21')).toEqual({});
    expect(checkEdits({ ...ok, received: '2026-11-22', rights: [] }, '2026-11-21')).toEqual({ received: 'new.err.future', rights: 'new.err.rights' });
    expect(checkEdits({ ...ok, received: '17.11.2026' }, '2026-11-21')).toEqual({ received: 'new.err.received' });
  });

  it('place the shell refusal at its field', () => {
    expect(editField('from: not an e-mail address')).toBe('from');
    expect(editField('rights: choose at least one right')).toBe('rights');
    expect(editField('file: the message changed')).toBeNull();
  });
});

describe('fileSize', () => {
  it('says sizes the way people read them', () => {
    expect(fileSize('de', 512)).toBe('512 B');
    expect(fileSize('de', 1536)).toBe('1,5 KB');
    expect(fileSize('en', 3 * 1024 * 1024)).toBe('3 MB');
  });
});

describe('German words of the Inbox, identity, requester, links and mailbox', () => {
  it('differ from the English ones except where both languages say the same', async () => {
    const { DICTIONARIES } = await import('./i18n');
    const same = new Set(['inbox.field.name', 'mb.host', 'mb.port', 'rq.email']);
    const ours = Object.keys(DICTIONARIES.en).filter((k) => /^(inbox|id|rq|ln|yd|mb|dup)\./.test(k) || k === 'nav.inbox' || k === 'new.dup.link');
    expect(ours.length).toBeGreaterThan(100);
    const untranslated = ours.filter((k) => !same.has(k) && DICTIONARIES.de[k as keyof typeof DICTIONARIES.de] === DICTIONARIES.en[k as keyof typeof DICTIONARIES.en]);
    expect(untranslated).toEqual([]);
  });
});
