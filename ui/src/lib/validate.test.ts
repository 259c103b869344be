import { describe, expect, it } from 'vitest';
import { serverFieldError, toNewCaseInput, validateNewCase, type NewCaseForm } from './validate';

const TODAY = '2026-11-21';

function form(over: Partial<NewCaseForm> = {}): NewCaseForm {
  return {
    rights: ['access'],
    name: 'Jana Novak',
    email: 'jana@example.org',
    phone: '',
    ids: '',
    address: '',
    received: TODAY,
    channel: 'email',
    language: '',
    jurisdiction: '',
    region: '',
    ...over,
  };
}

describe('validateNewCase', () => {
  it('accepts a complete form', () => {
    expect(validateNewCase(form(), TODAY)).toEqual({});
  });

  it('flags each obvious mistake at its own field', () => {
    const errors = validateNewCase(
      form({ rights: [], name: '  ', email: 'jana.example.org', received: '2026-11-22', channel: '' }),
      TODAY,
    );
    expect(Object.keys(errors).sort()).toEqual(['channel', 'email', 'name', 'received', 'rights']);
    expect(errors.received).toEqual({ key: 'new.err.future' });
  });

  it('rejects an impossible date differently from a future one', () => {
    expect(validateNewCase(form({ received: '2026-02-30' }), TODAY).received).toEqual({
      key: 'new.err.received',
    });
  });

  it('names the first identifier line that is not KEY=VALUE', () => {
    const errors = validateNewCase(form({ ids: 'customer_id=C-1\n\nloyalty 77' }), TODAY);
    expect(errors.ids).toEqual({ key: 'new.err.ids', params: { line: 2 } });
  });

  it('allows an empty e-mail and phone but not a phone made of letters', () => {
    expect(validateNewCase(form({ email: '', phone: '' }), TODAY)).toEqual({});
    expect(validateNewCase(form({ phone: 'call me' }), TODAY).phone).toBeDefined();
  });
});

describe('toNewCaseInput', () => {
  it('trims, drops blank lines and turns empty optionals into null', () => {
    const input = toNewCaseInput(
      form({ email: ' ', ids: ' customer_id=C-1 \n\n', address: 'Main St 1\n\n10115 Berlin', language: 'de' }),
    );
    expect(input.email).toBeNull();
    expect(input.ids).toEqual(['customer_id=C-1']);
    expect(input.address).toEqual(['Main St 1', '10115 Berlin']);
    expect(input.language).toBe('de');
    expect(input.jurisdiction).toBeNull();
  });
});

describe('serverFieldError', () => {
  it('maps the core message prefix to the form field', () => {
    expect(serverFieldError('received: 2026-13-01 is not a date')).toEqual({
      field: 'received',
      text: '2026-13-01 is not a date',
    });
    expect(serverFieldError('E-Mail: not an address')?.field).toBe('email');
    expect(serverFieldError('id: expected KEY=VALUE')?.field).toBe('ids');
  });

  it('returns null for messages without a known field', () => {
    expect(serverFieldError('register: no systems')).toBeNull();
    expect(serverFieldError('something failed')).toBeNull();
  });
});
