/**
 * The manager's day as the bench loads it: a member's day of 48 slots (09:00–17:00 UTC) with 3
 * verified screenshots each, real WebP objects in the blob store (RGW), rows written straight to
 * PostgreSQL; and the ready test "every thumbnail of the day is loaded and decoded".
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import sharp from 'sharp';
import { newId } from '../../src/shared/ids';
import type { RealServer } from '../../src/sync/test-support/real-server';

export const SLOTS = 48;
export const SHOTS_PER_SLOT = 3;

/** An editor-like scene, one tint per variant, as WebP at the encoder's sizes (320 px thumbnail, 1280 px full). */
async function scene(variant: number, width: number): Promise<Buffer> {
  const tint = ['#2454d6', '#1f7a3f', '#8a5a00', '#b42318', '#6b46c1', '#0e7490'][variant % 6]!;
  const lines = Array.from({ length: 14 }, (_, i) => `<rect x="${110 + (i % 3) * 30}" y="${170 + i * 30}" width="${300 + ((i * 97 + variant * 31) % 600)}" height="12" rx="4" fill="#55606e"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1280" height="800"><rect width="1280" height="800" fill="#dfe7f5"/><rect x="80" y="80" width="1120" height="640" fill="#fff" stroke="#1a1d23" stroke-width="4"/><rect x="82" y="82" width="1116" height="40" fill="${tint}"/>${lines}</svg>`;
  return sharp(Buffer.from(svg)).resize({ width }).webp({ quality: 60 }).toBuffer();
}

/** Writes the member's day `date` (UTC) on `server`: an entry, 480 activity minutes, SLOTS × SHOTS_PER_SLOT screenshots with their objects. */
export async function seedManagerDay(server: RealServer, userId: string, date: string): Promise<{ screenshots: number; thumbKb: number }> {
  const { orgId, project } = server.seed;
  const start = Date.parse(`${date}T09:00:00Z`);
  const thumbs = await Promise.all([0, 1, 2, 3, 4, 5].map((v) => scene(v, 320)));
  const fulls = await Promise.all([0, 1, 2, 3, 4, 5].map((v) => scene(v, 1280)));
  const shots = Array.from({ length: SLOTS * SHOTS_PER_SLOT }, (_, i) => {
    const at = start + Math.floor(i / SHOTS_PER_SLOT) * 600_000 + (i % SHOTS_PER_SLOT) * 180_000 + 30_000;
    const id = newId(at);
    const key = `org/${orgId}/user/${userId}/${date.replaceAll('-', '/')}/${id}`;
    return { id, at, key, variant: i % 6 };
  });
  for (let i = 0; i < shots.length; i += 16)
    await Promise.all(
      shots.slice(i, i + 16).flatMap((s) => [
        server.s3.send(new PutObjectCommand({ Bucket: server.bucket, Key: `${s.key}.webp`, Body: fulls[s.variant], ContentType: 'image/webp' })),
        server.s3.send(new PutObjectCommand({ Bucket: server.bucket, Key: `${s.key}.thumb.webp`, Body: thumbs[s.variant], ContentType: 'image/webp' })),
      ]),
    );
  const db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  try {
    const entryId = newId(start);
    await db.query(
      `INSERT INTO time_entries (id, org_id, user_id, device_id, project_id, started_at, ended_at, stop_reason)
       VALUES ($1, $2, $3, $3, $4, $5, $6, 'user')`,
      [entryId, orgId, userId, project.id, new Date(start), new Date(start + SLOTS * 600_000)],
    );
    await db.query(
      `INSERT INTO activity_minutes (id, org_id, user_id, device_id, entry_id, minute_start, active_seconds, tracked_seconds, apps)
       SELECT gen_random_uuid(), $1, $2, $2, $3, $4::timestamptz + m * interval '1 minute', 20 + (m * 37) % 40, 60,
              '[{"app":"Code","seconds":40},{"app":"Firefox","seconds":20}]'::jsonb
         FROM generate_series(0, $5::int - 1) m`,
      [orgId, userId, entryId, new Date(start), SLOTS * 10],
    );
    for (const s of shots)
      await db.query(
        `INSERT INTO screenshots (id, org_id, user_id, device_id, entry_id, taken_at, display_id, width, height, bytes, sha256, md5,
                                  content_type, object_key, thumb_key, state, completed_at, verified_at)
         VALUES ($1, $2, $3, $3, $4, $5, '0', 1280, 800, $6, repeat('0', 64), 'AAAAAAAAAAAAAAAAAAAAAA==', 'image/webp', $7, $8, 'verified', $5, $5)`,
        [s.id, orgId, userId, entryId, new Date(s.at), fulls[s.variant]!.length, `${s.key}.webp`, `${s.key}.thumb.webp`],
      );
  } finally {
    await db.end();
  }
  return { screenshots: shots.length, thumbKb: Math.round(thumbs.reduce((a, t) => a + t.length, 0) / thumbs.length / 102.4) / 10 };
}

/** Every thumbnail of the day is on the page, loaded and decoded (its natural size known): run in the page each frame. */
export const managerDayReady = (thumbnails: number) => `(() => {
  const imgs = document.querySelectorAll('img[data-thumb]');
  return imgs.length === ${thumbnails} && [...imgs].every((img) => img.complete && img.naturalWidth > 0);
})()`;

/** Milestones on the way (run in the page each frame): the page's first paint of the Team page, and the day's slots drawn. */
export const managerDaySteps = {
  'Team page drawn': `!!document.querySelector('.team-toolbar')`,
  [`${SLOTS} slots drawn`]: `document.querySelectorAll('li.slot:not(.slot-none)').length === ${SLOTS}`,
};
