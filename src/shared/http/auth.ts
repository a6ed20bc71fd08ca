import { z } from 'zod';
import { text } from './text';
import { uuid, uuidV7 } from '../ids';
import { isoInstant } from '../time';

export const roleSchema = z.enum(['owner', 'admin', 'manager', 'employee']);
export type Role = z.infer<typeof roleSchema>;

export const userSummarySchema = z.object({
  id: uuid,
  orgId: uuid,
  email: z.email(),
  name: z.string(),
  role: roleSchema,
  timeZone: z.string(),
});
export type UserSummary = z.infer<typeof userSummarySchema>;

/** POST /v1/auth/login */
export const loginRequestSchema = z
  .object({
    email: z.email().max(254),
    password: z.string().min(1).max(1024),
  })
  .strict();

/** Reply of login, refresh and device token exchange. */
export const tokenResponseSchema = z.object({
  accessToken: z.string(),
  /** Seconds until the access token expires (minutes, not hours). */
  expiresIn: z.number().int().positive(),
  /** Rotating refresh token: present for password sign-in, absent for device credentials. */
  refreshToken: z.string().optional(),
  user: userSummarySchema,
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** POST /v1/auth/refresh — the old refresh token is spent; reusing it revokes its whole family. */
export const refreshRequestSchema = z.object({ refreshToken: z.string().min(16).max(512) }).strict();

/** POST /v1/auth/logout */
export const logoutRequestSchema = refreshRequestSchema;

/** POST /v1/devices/enrollment-tokens (admin) */
export const createEnrollmentTokenRequestSchema = z
  .object({
    userId: uuid,
    /** Hours the token may be used to enroll devices. */
    expiresInHours: z.number().int().min(1).max(24 * 90).default(72),
    /** How many distinct devices the token may enroll (1 = single-use); absent: no limit. */
    maxDevices: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();
export const enrollmentTokenResponseSchema = z.object({
  /** The token's id, to list or revoke it (DELETE /v1/devices/enrollment-tokens/:id). */
  id: uuid,
  enrollmentToken: z.string(),
  userId: uuid,
  expiresAt: isoInstant,
  maxDevices: z.number().int().positive().nullable(),
});

/** GET /v1/devices/enrollment-tokens (admin): the org's tokens, newest first; never the secret. */
export const enrollmentTokenSchema = z.object({
  id: uuid,
  userId: uuid,
  createdBy: uuid.nullable(),
  createdAt: isoInstant,
  expiresAt: isoInstant,
  revokedAt: isoInstant.nullable(),
  maxDevices: z.number().int().positive().nullable(),
  enrolledDevices: z.number().int().nonnegative(),
});
export const enrollmentTokenListResponseSchema = z.object({ tokens: z.array(enrollmentTokenSchema) });
export type EnrollmentTokenList = z.infer<typeof enrollmentTokenListResponseSchema>;

/** POST /v1/devices/enroll — no auth; the enrollment token is the credential. */
export const enrollRequestSchema = z
  .object({
    enrollmentToken: z.string().min(16).max(512),
    /** Made on the device (UUIDv7), stable across restarts. */
    deviceId: uuidV7,
    name: text(1, 200),
    platform: z.enum(['linux', 'darwin', 'win32']),
  })
  .strict();
export const enrollResponseSchema = z.object({
  deviceId: uuidV7,
  /** Long-lived, revocable device credential; exchange it at /v1/auth/device for access tokens. */
  deviceToken: z.string(),
  user: userSummarySchema,
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

/** POST /v1/auth/device — exchange a device credential for a short-lived access token. */
export const deviceTokenRequestSchema = z
  .object({ deviceId: uuidV7, deviceToken: z.string().min(16).max(512) })
  .strict();

/** GET /v1/devices — the caller's devices (admins: the org's). DELETE /v1/devices/:id revokes one. */
export const deviceSchema = z.object({
  id: uuidV7,
  userId: uuid,
  name: z.string(),
  platform: z.string(),
  createdAt: isoInstant,
  lastSeenAt: isoInstant.nullable(),
  revokedAt: isoInstant.nullable(),
});

export const deviceListResponseSchema = z.object({ devices: z.array(deviceSchema) });
