import { describe, expect, it } from 'vitest';
import { ApiError, toApiError } from '../api';

describe('toApiError', () => {
  it('keeps the code and message the shell sent', () => {
    const e = toApiError({ code: 'wrong-passphrase', message: 'wrong passphrase' });
    expect(e).toBeInstanceOf(ApiError);
    expect(e.code).toBe('wrong-passphrase');
    expect(e.message).toBe('wrong passphrase');
  });

  it('keeps the reason code and its string parameters', () => {
    const e = toApiError({ code: 'invalid-input', message: 'received: not a date', reason: 'input.date.malformed', params: { field: 'received', n: 3 } });
    expect(e.reason).toBe('input.date.malformed');
    expect(e.params).toEqual({ field: 'received' });
    expect(toApiError({ code: 'internal', message: 'm' }).params).toEqual({});
  });

  it('turns unknown codes, plain strings and errors into internal', () => {
    expect(toApiError({ code: 'teapot', message: 'x' }).code).toBe('internal');
    expect(toApiError('command not found').code).toBe('internal');
    expect(toApiError(new TypeError('no __TAURI_INTERNALS__')).message).toBe('no __TAURI_INTERNALS__');
  });
});
