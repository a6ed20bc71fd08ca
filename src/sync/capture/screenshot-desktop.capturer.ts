import screenshot from 'screenshot-desktop';
import type { Capturer, CreateCapturer, Frame } from './capturer';

interface Display {
  id: string;
  name: string;
}

/**
 * X11 adapter over screenshot-desktop (ImageMagick `import`, displays from `xrandr`).
 * Each connected output is grabbed on its own as uncompressed TIFF (sharp reads it; PNG
 * would spend the capture time compressing pixels the encoder decodes again at once).
 */
const DISPLAYS_TTL_MS = 30_000;

export const createCapturer: CreateCapturer = (options) => {
  const display = typeof options.display === 'string' ? options.display : process.env.DISPLAY;
  // xrandr costs a process spawn per capture; outputs rarely change, and a capture failure drops the cache.
  let cached: { at: number; displays: Display[] } | null = null;
  return {
    async grab(): Promise<Frame[]> {
      if (!display) throw new Error('no X display: DISPLAY is not set (start an X session or Xvfb)');
      // screenshot-desktop runs xrandr/import with this thread's environment.
      process.env.DISPLAY = display;
      let displays: Display[];
      if (cached && Date.now() - cached.at < DISPLAYS_TTL_MS) displays = cached.displays;
      else {
        try {
          displays = (await screenshot.listDisplays()) as Display[];
        } catch (err) {
          throw new Error(`cannot list displays on ${display}: ${firstLine(err)}`);
        }
        cached = { at: Date.now(), displays };
      }
      if (displays.length === 0) throw new Error(`no connected display on ${display}`);
      const frames: Frame[] = [];
      for (const d of displays) {
        try {
          const image = (await screenshot({ screen: d.id, format: 'tiff' })) as Buffer;
          frames.push({ displayId: d.id, image });
        } catch (err) {
          cached = null;
          throw new Error(`capture of display ${d.id} on ${display} failed: ${firstLine(err)}`);
        }
      }
      return frames;
    },
  } satisfies Capturer;
};

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n').filter(Boolean).slice(0, 2).join(' ').slice(0, 300);
}
