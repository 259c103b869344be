import { describe, expect, it } from 'vitest';
import { asksForData, blankRequester, checkIdentity, checkRequester, disclosesData, identityInput, kindText, matchKey, requesterInput, type IdentityForm } from './identity';

const offered = [
  { system: 'shop', system_name: 'Webshop', kinds: ['email'] },
  { system: 'crm', system_name: 'CRM', kinds: ['email', 'customer_id'] },
];
const form = (over: Partial<IdentityForm>): IdentityForm => ({ method: 'held-data', on: '2026-11-20', matched: [], note: '', documentPath: '', keep: false, keepReason: '', ...over });

describe('identity', () => {
  it('waits for a check only before letters that disclose data', () => {
    expect(['access-response', 'portability-response', 'refusal', 'erasure-confirmation'].map(disclosesData)).toEqual([true, true, false, false]);
    expect(asksForData(['erasure'])).toBe(false);
    expect(asksForData(['erasure', 'access'])).toBe(true);
  });

  it('says identifier kinds in words', () => {
    expect(kindText('de', 'customer_id')).toBe('Kundennummer');
    expect(kindText('en', 'email')).toBe('e-mail address');
    expect(kindText('de', 'loyalty_card')).toBe('loyalty card');
  });

  it('checks what each method needs', () => {
    expect(checkIdentity(form({}), '2026-11-21', false)).toEqual({ matched: 'id.err.matches' });
    expect(checkIdentity(form({ matched: [matchKey(offered[0]!)], on: '2026-11-22' }), '2026-11-21', false)).toEqual({ on: 'new.err.future' });
    expect(checkIdentity(form({ method: 'document-seen' }), '2026-11-21', false)).toEqual({ document: 'id.err.document' });
    expect(checkIdentity(form({ method: 'document-seen', documentPath: '/a.pdf', keep: true }), '2026-11-21', false)).toEqual({ keepReason: 'id.err.reason' });
    expect(checkIdentity(form({ method: 'representative-authority' }), '2026-11-21', false)).toEqual({ method: 'id.err.requester' });
    expect(checkIdentity(form({ method: 'email-round-trip' }), '2026-11-21', false)).toEqual({});
  });

  it('sends only what the method uses: the ticked matches, a reason only with a kept document', () => {
    const held = identityInput(form({ matched: [matchKey(offered[1]!)], documentPath: '/x.pdf', keep: true, keepReason: 'r' }), offered);
    expect(held).toEqual({ method: 'held-data', on: '2026-11-20', matched: [offered[1]], note: null, document_path: null, keep_reason: null });
    const doc = identityInput(form({ method: 'document-seen', documentPath: ' /x.pdf ', keep: true, keepReason: ' Streitfall ', note: 'Ausweis' }), offered);
    expect(doc).toEqual({ method: 'document-seen', on: '2026-11-20', matched: [], note: 'Ausweis', document_path: '/x.pdf', keep_reason: 'Streitfall' });
    expect(identityInput(form({ method: 'document-seen', documentPath: '/x.pdf', keep: false, keepReason: 'alt' }), offered).keep_reason).toBeNull();
  });
});

describe('requester', () => {
  it('needs a name and somewhere to send the answer; other needs a note', () => {
    expect(checkRequester(blankRequester())).toEqual({ name: 'rq.err.name', address: 'rq.err.where' });
    expect(checkRequester({ ...blankRequester(), name: 'Kanzlei', email: 'kanzlei@' })).toEqual({ email: 'new.err.email' });
    expect(checkRequester({ ...blankRequester(), name: 'Kanzlei', address: 'Ring 5', authority: 'other' })).toEqual({ note: 'rq.err.note' });
  });

  it('goes to the shell with address lines and blanks as none', () => {
    expect(requesterInput({ name: ' Kanzlei Berger ', address: 'Ring 5\n\n 50672 Köln ', email: '', authority: 'lawyer', note: ' ', documentPath: '' })).toEqual({
      name: 'Kanzlei Berger', address: ['Ring 5', '50672 Köln'], email: null, authority: 'lawyer', authority_note: null, document_path: null,
    });
  });
});
