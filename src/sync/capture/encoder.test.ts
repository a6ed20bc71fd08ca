import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { defaultEncodeOptions, digests, encodeFrame } from './encoder';

/** Black 1 px lines on white: fine detail that a blur must wipe out. */
async function stripes(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3, 255);
  for (let y = 0; y < height; y += 4) raw.fill(0, y * width * 3, (y + 1) * width * 3);
  return sharp(raw, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

const stddev = async (img: Buffer) => (await sharp(img).greyscale().stats()).channels[0]!.stdev;

describe('encoder', () => {
  it('writes a full WebP at capture size and a 320 px wide thumbnail', async () => {
    const enc = await encodeFrame(await stripes(1280, 720));
    expect(enc).toMatchObject({ width: 1280, height: 720, contentType: 'image/webp', ext: 'webp' });
    expect(await sharp(enc.full).metadata()).toMatchObject({ format: 'webp', width: 1280, height: 720 });
    expect(await sharp(enc.thumb).metadata()).toMatchObject({ format: 'webp', width: 320, height: 180 });
    expect(await stddev(enc.full)).toBeGreaterThan(90);
  });

  it('blurs when the policy asks, so fine detail (text) is gone', async () => {
    const enc = await encodeFrame(await stripes(640, 360), { ...defaultEncodeOptions, blur: true });
    expect(await stddev(enc.full)).toBeLessThan(30);
  });

  it('falls back to JPEG when asked, and digests are the ones Content-MD5 and the server expect', async () => {
    const enc = await encodeFrame(await stripes(320, 200), { ...defaultEncodeOptions, format: 'jpeg', quality: 80 });
    expect(enc).toMatchObject({ contentType: 'image/jpeg', ext: 'jpg' });
    const d = digests(Buffer.from('abc'));
    expect(d).toEqual({ sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', md5: 'kAFQmDzST7DWlj99KOF/cg==' });
  });
});
