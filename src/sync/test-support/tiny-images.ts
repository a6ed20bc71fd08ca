import sharp from 'sharp';

/** A real 32×24 WebP whose colour comes from the id, so every shot has its own bytes. */
export async function tinyWebp(id: string): Promise<Buffer> {
  const h = Buffer.from(id.replace(/-/g, ''), 'hex');
  return sharp({ create: { width: 32, height: 24, channels: 3, background: { r: h[13]!, g: h[14]!, b: h[15]! } } })
    .webp({ quality: 50 })
    .toBuffer();
}
