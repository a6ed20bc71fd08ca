import sharp from 'sharp';

/** A 1920×1080 WebP with a little deterministic noise: about the size of a real desktop screenshot. */
export async function sampleScreenshot(): Promise<Buffer> {
  const w = 1920;
  const h = 1080;
  const raw = Buffer.alloc(w * h * 3);
  let seed = 42;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = (seed >> 16) & 7;
      const i = (y * w + x) * 3;
      raw[i] = ((x >> 4) * 13 + n) & 255;
      raw[i + 1] = ((y >> 3) * 7 + n) & 255;
      raw[i + 2] = (((x ^ y) >> 5) * 29) & 255;
    }
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } }).webp({ quality: 70 }).toBuffer();
}
