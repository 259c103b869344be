import { describe, expect, it } from 'vitest';
import { ApiError, toApiError } from '../api';

describe('toApiError', () => {
  it('keeps the code and message the shell sent', () => {
    const e = toApiError({ code: 'wrong-passphrase', message: 'wrong passphrase' });
    expect(e).toBeInstanceOf(ApiError);
    expect(e.code).toBe('wrong-passphrase');
    expect(e.message).toBe('wrong passphrase');
  });

  it('turns unknown codes, plain strings and errors into internal', () => {
    expect(toApiError({ code: 'teapot', message: 'x' }).code).toBe('internal');
    expect(toApiError('command not found').code).toBe('internal');
    expect(toApiError(new TypeError('no __TAURI_INTERNALS__')).message).toBe('no __TAURI_INTERNALS__');
  });
});
