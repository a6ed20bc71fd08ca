import sharp from 'sharp';

/** Luma plane of an image, as floats. */
async function luma(image: Buffer, width: number, height: number): Promise<Float64Array> {
  const { data } = await sharp(image).resize(width, height, { fit: 'fill' }).removeAlpha().greyscale().raw().toBuffer({ resolveWithObject: true });
  return Float64Array.from(data);
}

/**
 * Mean SSIM (Wang et al. 2004) on luma over 8x8 windows with stride 4, and PSNR on RGB.
 * Simple and documented rather than a library's exact variant; 1.0 = identical.
 */
export async function compare(reference: Buffer, candidate: Buffer, width: number, height: number): Promise<{ ssim: number; psnr: number }> {
  const [a, b] = await Promise.all([luma(reference, width, height), luma(candidate, width, height)]);
  const C1 = (0.01 * 255) ** 2;
  const C2 = (0.03 * 255) ** 2;
  let sum = 0;
  let n = 0;
  for (let y = 0; y + 8 <= height; y += 4) {
    for (let x = 0; x + 8 <= width; x += 4) {
      let ma = 0, mb = 0;
      for (let j = 0; j < 8; j++) for (let i = 0; i < 8; i++) {
        const k = (y + j) * width + x + i;
        ma += a[k]!;
        mb += b[k]!;
      }
      ma /= 64;
      mb /= 64;
      let va = 0, vb = 0, cov = 0;
      for (let j = 0; j < 8; j++) for (let i = 0; i < 8; i++) {
        const k = (y + j) * width + x + i;
        const da = a[k]! - ma, db = b[k]! - mb;
        va += da * da;
        vb += db * db;
        cov += da * db;
      }
      va /= 63;
      vb /= 63;
      cov /= 63;
      sum += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
      n++;
    }
  }
  const [ra, rb] = await Promise.all(
    [reference, candidate].map((img) => sharp(img).resize(width, height, { fit: 'fill' }).removeAlpha().raw().toBuffer()),
  );
  let se = 0;
  for (let i = 0; i < ra!.length; i++) se += (ra![i]! - rb![i]!) ** 2;
  const mse = se / ra!.length;
  return { ssim: sum / n, psnr: mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse) };
}
