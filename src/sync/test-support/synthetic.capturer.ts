import { existsSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import type { Capturer, CreateCapturer } from '../capture/capturer';

/**
 * A Capturer for tests that need many captures without an X server: every grab yields fresh
 * random-noise PNGs (so no two files share a sha256), one per display. If the file named by
 * `failFile` exists, the grab fails with its content as the reason (a failing `import`); while
 * `hangFile` exists, a grab never finishes (a hung `import`).
 */
export const createCapturer: CreateCapturer = (options) => {
  const displays = Number(options.displays ?? 1);
  const width = Number(options.width ?? 64);
  const height = Number(options.height ?? 48);
  const failFile = typeof options.failFile === 'string' ? options.failFile : null;
  const hangFile = typeof options.hangFile === 'string' ? options.hangFile : null;
  let n = 0;
  return {
    async grab() {
      if (failFile && existsSync(failFile)) throw new Error(readFileSync(failFile, 'utf8').trim() || 'capture failed');
      if (hangFile && existsSync(hangFile)) return new Promise<never>(() => undefined);
      n++;
      return Promise.all(
        Array.from({ length: displays }, async (_, i) => ({
          displayId: `synthetic-${i}`,
          image: await sharp({
            create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 100 + ((n * 7 + i) % 50), sigma: 40 } },
          })
            .png({ compressionLevel: 1 })
            .toBuffer(),
        })),
      );
    },
  } satisfies Capturer;
};

export const syntheticCapturerModule = new URL('./synthetic.capturer.ts', import.meta.url).href;
