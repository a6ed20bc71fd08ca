import { AxiosError, AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { describe, expect, it } from 'vitest';
import { LocalFileMismatchError } from '../api/blob-upload';
import { SignInRequiredError } from '../api/http-failure';
import { classifyFailure } from './failure-classifier';

const config = { headers: new AxiosHeaders() } as InternalAxiosRequestConfig;

function answered(status: number, data: unknown, headers: Record<string, string> = {}): AxiosError {
  const response = { status, statusText: '', data, headers, config } as AxiosResponse;
  return new AxiosError(`status ${status}`, AxiosError.ERR_BAD_RESPONSE, config, {}, response);
}
const transport = (code: string) => new AxiosError(code, code, config, {});
const problem = (status: number, title: string, detail?: string) => ({ type: 'about:blank', title, status, detail });

describe('classifyFailure', () => {
  it.each([408, 425, 500, 502, 503, 504])('%i is transient and counts an attempt', (status) => {
    expect(classifyFailure(answered(status, problem(status, 'x')))).toMatchObject({ kind: 'transient', countAttempt: true, offline: false });
  });

  it('429 is transient, not counted, and carries Retry-After in seconds or as a date', () => {
    expect(classifyFailure(answered(429, problem(429, 'Too Many Requests'), { 'retry-after': '7' }))).toMatchObject({
      kind: 'transient',
      countAttempt: false,
      retryAfterMs: 7_000,
    });
    const serverNow = Date.parse('2026-03-02T09:00:00Z');
    const dated = answered(429, '', { 'retry-after': 'Mon, 02 Mar 2026 09:00:30 GMT' });
    expect(classifyFailure(dated, { serverNow })).toMatchObject({ kind: 'transient', retryAfterMs: 30_000 });
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'ECONNABORTED', 'ETIMEDOUT'])('%s means the other side is unreachable: probe', (code) => {
    expect(classifyFailure(transport(code))).toMatchObject({ kind: 'transient', offline: true, countAttempt: true });
  });

  it('a reset mid-body is one broken exchange, not an outage', () => {
    expect(classifyFailure(transport('ECONNRESET'))).toMatchObject({ kind: 'transient', offline: false });
  });

  it('a 2xx whose body was cut off is replayed, never a dead letter', () => {
    const cut = new AxiosError('aborted', 'ECONNRESET', config, {}, { status: 201, statusText: '', data: '{"sta', headers: {}, config } as AxiosResponse);
    expect(classifyFailure(cut)).toMatchObject({ kind: 'transient', countAttempt: true, offline: false });
  });

  it.each([400, 403, 404, 409, 413, 422])('%i from the API is permanent with the server reason', (status) => {
    const failure = classifyFailure(answered(status, problem(status, 'Conflict', 'this screenshot id was already declared')));
    expect(failure).toEqual({ kind: 'permanent', status, reason: `${status} Conflict: this screenshot id was already declared` });
  });

  it('an S3 403 "Request has expired" on the blob PUT asks for a new URL', () => {
    const xml = '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>';
    expect(classifyFailure(answered(403, xml), { blob: true })).toMatchObject({ kind: 'expired-url' });
  });

  it('a blob 403 after the URL’s expiry (by the corrected clock) asks for a new URL even without the message', () => {
    const xml = '<Error><Code>AccessDenied</Code></Error>';
    expect(classifyFailure(answered(403, xml), { blob: true, urlExpiresAt: 1_000, serverNow: 2_000 })).toMatchObject({ kind: 'expired-url' });
    expect(classifyFailure(answered(403, xml), { blob: true, urlExpiresAt: 3_000, serverNow: 2_000 })).toEqual({
      kind: 'permanent',
      status: 403,
      reason: '403 AccessDenied',
    });
  });

  it('a refused credential pauses sync', () => {
    expect(classifyFailure(new SignInRequiredError('device revoked'))).toMatchObject({ kind: 'sign-in-required' });
  });

  it('a missing local file is a dead letter, never retried forever', () => {
    const err = Object.assign(new Error("ENOENT: no such file or directory, open '/x.webp'"), { code: 'ENOENT' });
    expect(classifyFailure(err)).toMatchObject({ kind: 'permanent', reason: expect.stringContaining('local file is missing') });
  });

  it('a local file that is not the recorded size is a dead letter with both sizes', () => {
    const err = new LocalFileMismatchError('local file /x.webp is 10 bytes, its record says 20');
    expect(classifyFailure(err, { blob: true })).toEqual({ kind: 'permanent', reason: 'local file /x.webp is 10 bytes, its record says 20' });
  });
});
