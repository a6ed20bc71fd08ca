import sharp from 'sharp';

/**
 * A desktop-like 1920x1080 test picture: window chrome, an editor full of 13 px monospace text,
 * a sidebar, a chat column with proportional text and a photo-like gradient. Text is what must
 * stay readable after encoding, so most of the area is text.
 */
export async function desktopScene(width = 1920, height = 1080): Promise<Buffer> {
  const code = [
    "import { createTracker } from './tracker';",
    'export async function main(argv: string[]): Promise<number> {',
    "  const opts = parseAgentOptions(argv, process.env); // --project, --data-dir",
    '  for (const shot of await worker.shoot(Date.now())) log(`capture ${shot.id} ${shot.bytes} B`);',
    '  if (status.queue.oldestUnsyncedSeconds > 3600) warn("offline for an hour");',
    '  return 0;',
    '}',
  ];
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const lines: string[] = [];
  for (let i = 0; i < 62; i++) {
    const y = 90 + i * 15;
    lines.push(`<text x="330" y="${y}" font-family="DejaVu Sans Mono" font-size="13" fill="${i % 7 === 0 ? '#0550ae' : '#24292f'}">${String(i + 1).padStart(3, ' ')}  ${esc(code[i % code.length]!)}</text>`);
  }
  const chat: string[] = [];
  for (let i = 0; i < 40; i++) {
    chat.push(`<text x="1450" y="${100 + i * 24}" font-family="DejaVu Sans" font-size="14" fill="#1f2328">Maria ${9 + (i % 8)}:${String((i * 7) % 60).padStart(2, '0')} — the upload finished, ${i * 13} KB</text>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#e66465"/><stop offset="1" stop-color="#9198e5"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="#f6f8fa"/>
    <rect x="0" y="0" width="${width}" height="36" fill="#2d333b"/>
    <text x="16" y="24" font-family="DejaVu Sans" font-size="14" fill="#ffffff">Activities   Editor — tracker.ts — stint   Sun 29 Nov 17:40</text>
    <rect x="0" y="36" width="300" height="${height - 36}" fill="#eaeef2"/>
    ${Array.from({ length: 30 }, (_, i) => `<text x="20" y="${70 + i * 22}" font-family="DejaVu Sans" font-size="13" fill="#57606a">src/sync/file-${i}.ts</text>`).join('')}
    <rect x="310" y="60" width="1110" height="${height - 80}" fill="#ffffff" stroke="#d0d7de"/>
    ${lines.join('')}
    <rect x="1430" y="60" width="470" height="${height - 80}" fill="#ffffff" stroke="#d0d7de"/>
    ${chat.join('')}
    <rect x="1450" y="${height - 120}" width="430" height="90" fill="url(#g)"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
