import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { clockOf, DESKTOP_APPS, DESKTOP_TITLES, DesktopPainter, type DesktopLook } from '../server/demo/scene';

/**
 * `npm start`'s private Xvfb shows a generated desktop (the lead's), so the lead's own screenshots
 * look like the team's rather than a black screen; repainted every few minutes with another app and
 * the clock. Only on the Xvfb start.ts made, never on a real display. Needs ImageMagick's `display`;
 * without it the screen stays black, said once. Resolves once the first picture is on the screen
 * (so the agent's first capture shows it), or could not be put there.
 */
export async function paintDemoDesktop(o: { display: string; width: number; height: number; owner: string; file: string; say: (line: string) => void }): Promise<void> {
  const painter = new DesktopPainter(o.width, o.height);
  const look: DesktopLook = { key: 'lead', wallpaper: ['#3a1c71', '#ffaf7b'], accent: '#0969da', dark: false, owner: o.owner };
  let n = 0;
  let missing = false;
  const paint = async () => {
    if (missing) return;
    const app = DESKTOP_APPS[n % DESKTOP_APPS.length]!;
    const png = await painter.paint({ look, app, scroll: (n * 0.37) % 1, clock: clockOf(new Date()), title: DESKTOP_TITLES[app][n % DESKTOP_TITLES[app].length]! }, { format: 'png' });
    n++;
    writeFileSync(o.file, png);
    await new Promise<void>((done) => {
      const child = spawn('display', ['-window', 'root', o.file], { env: { ...process.env, DISPLAY: o.display }, stdio: 'ignore' });
      child.on('error', () => {
        missing = true;
        o.say("no ImageMagick `display` here: the agent's Xvfb stays black (the demo team's screenshots are generated all the same)");
        done();
      });
      child.on('exit', () => done());
    });
  };
  setInterval(() => void paint().catch(() => undefined), 5 * 60_000).unref();
  await paint().catch((err: Error) => o.say(`could not paint the demo desktop: ${err.message}`));
}
