import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { v7 as uuidv7 } from 'uuid';
import type { CreateScreenshotRequest, CreateScreenshotResponse } from '../../src/shared/http/screenshots';

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A tiny JSON client over fetch for API tests: never throws on 4xx/5xx, hands back status and body. */
export function api(base: string, token?: string) {
  const call = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  };
  return {
    get: <T = Record<string, unknown>>(path: string, headers?: Record<string, string>) => call<T>('GET', path, undefined, headers),
    post: <T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>('POST', path, body, headers),
    put: <T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>('PUT', path, body, headers),
    del: <T = Record<string, unknown>>(path: string) => call<T>('DELETE', path),
    call,
  };
}

export async function login(base: string, email: string, password: string): Promise<{ accessToken: string; refreshToken: string }> {
  const r = await api(base).post<{ accessToken: string; refreshToken: string }>('/v1/auth/login', { email, password });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Enrolls a new device with an enrollment token and returns a device access token. */
export async function enrollDevice(base: string, enrollmentToken: string): Promise<{ deviceId: string; deviceToken: string; accessToken: string }> {
  const deviceId = uuidv7();
  const e = await api(base).post<{ deviceToken: string }>('/v1/devices/enroll', { enrollmentToken, deviceId, name: 'test box', platform: 'linux' });
  if (e.status !== 201) throw new Error(`enroll failed: ${e.status} ${JSON.stringify(e.body)}`);
  const t = await api(base).post<{ accessToken: string }>('/v1/auth/device', { deviceId, deviceToken: e.body.deviceToken });
  if (t.status !== 200) throw new Error(`device token failed: ${t.status} ${JSON.stringify(t.body)}`);
  return { deviceId, deviceToken: e.body.deviceToken, accessToken: t.body.accessToken };
}

/** A real WebP screenshot-like image with some structure, so sharp has something to decode. */
export async function makeImage(width = 640, height = 400, seed = 1): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = (x * seed) & 255;
      raw[i + 1] = (y * 3) & 255;
      raw[i + 2] = ((x ^ y) + seed * 40) & 255;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).webp({ quality: 60 }).toBuffer();
}

export function declareShot(image: Buffer, deviceId: string, over: Partial<CreateScreenshotRequest> = {}): CreateScreenshotRequest {
  return {
    id: uuidv7(),
    deviceId,
    entryId: null,
    takenAt: new Date().toISOString(),
    displayId: 'display-0',
    width: 640,
    height: 400,
    bytes: image.length,
    sha256: createHash('sha256').update(image).digest('hex'),
    md5: createHash('md5').update(image).digest('base64'),
    contentType: 'image/webp',
    ...over,
  };
}

/** PUT the bytes where the server said, with exactly the headers it said. */
export async function putBlob(upload: Extract<CreateScreenshotResponse, { status: 'upload' }>['upload'], body: Buffer, headerOverrides: Record<string, string> = {}) {
  const headers = { ...upload.headers, ...headerOverrides };
  delete (headers as Record<string, string>)['Content-Length'];
  return fetch(upload.url, { method: 'PUT', headers, body });
}

/** Polls `probe` until it returns a value, at most `tries` times `everyMs` apart. */
export async function eventually<T>(probe: () => Promise<T | null | undefined>, tries = 60, everyMs = 250): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await probe();
    if (v !== null && v !== undefined) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met after ${tries} tries`);
}

/** Declares, PUTs and completes one screenshot; returns its id. */
export async function uploadScreenshot(base: string, token: string, deviceId: string, takenAt = new Date()): Promise<string> {
  const image = await makeImage(160, 100, 13);
  const decl = declareShot(image, deviceId, { takenAt: takenAt.toISOString(), width: 160, height: 100 });
  const c = api(base, token);
  const created = await c.post<CreateScreenshotResponse>('/v1/screenshots', decl);
  if (created.body.status !== 'upload') throw new Error(`declare failed: ${created.status} ${JSON.stringify(created.body)}`);
  const put = await putBlob(created.body.upload, image);
  if (put.status !== 200) throw new Error(`PUT failed: ${put.status}`);
  const done = await c.post(`/v1/screenshots/${decl.id}/complete`);
  if (done.status !== 200) throw new Error(`complete failed: ${done.status} ${JSON.stringify(done.body)}`);
  return decl.id;
}
