import { describe, expect, it } from 'vitest';
import { checkEdits, editField, fileSize, inboxKey, initialEdits, refusalText, warningText } from './inbox';
import type { ProposalDto } from '../bindings/ProposalDto';

const key = (k: string, tag = 'BODY') => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, targetTag: tag, targetEditable: false });

describe('warningText', () => {
  // The core's own sentences (src/intake/mod.rs), as a proposal carries them.
  const core: [string, string, RegExp][] = [
    ['from', 'forwarded as an attachment: sender and date are those of the attached message', /^Als Anhang weitergeleitet/],
    ['from', 'the subject says forwarded: the sender may be a colleague — enter the subject\'s own address', /^Der Betreff sagt „weitergeleitet“/],
    ['from', 'the sender is not a usable e-mail address: enter the subject\'s address by hand', /^Der Absender ist keine verwendbare/],
    ['from', 'the message has no From address: enter the subject\'s address by hand', /^Die Nachricht hat keine Absenderadresse/],
    ['name', 'no display name in From: the address is used as the name until you correct it', /^Kein Name in der Absenderzeile/],
    ['received', 'the message has no valid Date: today (2026-11-21) is used — enter the day it arrived', /heute \(2026-11-21\) wurde angenommen/],
    ['received', "the message's Date (2026-12-24) is in the future: today (2026-11-21) is used — check the sender's clock", /in die Zukunft datiert \(2026-12-24\): heute \(2026-11-21\)/],
    ['received', 'no register imported: the Date was read in Europe/Berlin (the default region DE-BE)', /Zeitzone Europe\/Berlin gelesen/],
    ['rights', 'no right recognised in the text: choose them with `dsar case new --right …`', /^Im Text wurde kein Recht erkannt: die geltend gemachten Rechte auswählen\.$/],
    ['language', "language not recognised: de (the controller's) is assumed", /^Sprache nicht erkannt: DE/],
  ];
  it.each(core)('puts the core warning on %s into German words', (field, message, want) => {
    const text = warningText('de', { field, message });
    expect(text).toMatch(want);
    expect(text).not.toMatch(/dsar |the |is used/);
  });

  it('keeps an unknown warning in the core words rather than hiding it', () => {
    expect(warningText('de', { field: 'from', message: 'something new' })).toBe('something new');
  });
});

describe('refusalText', () => {
  it('explains refused files in the UI language', () => {
    expect(refusalText('de', 'not an e-mail (no header lines such as From: or Date:) — export the message from the mail program as .eml ("Save as")')).toMatch(/^keine E-Mail — .*\.eml speichern/);
    expect(refusalText('de', 'larger than 25 MB (30000000 bytes) — save …')).toMatch(/^größer als 25 MB/);
    expect(refusalText('en', 'cannot read the file (permission denied) — check the path and permissions')).toBe('cannot be read (permission denied) — check the path and the permissions.');
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
