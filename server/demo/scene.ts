import sharp from 'sharp';
import { pick, seededRandom } from './seeded-random';

/**
 * A generated desktop, as a screenshot of it would look: wallpaper, a top bar with the clock, an
 * application window full of text (editor, browser, chat, spreadsheet or terminal), a side panel
 * and a dock. The demo history encodes one per screenshot; the benchmarks put one on an X display
 * or encode it. Most of the area is text, which is what must stay readable after encoding.
 *
 * Painting is split so that a history of hundreds of images stays cheap: the still parts (wallpaper,
 * dock, window frames) and each application's content (rendered three screens tall) are rasterised
 * once per look; a screenshot is a crop of the content at its scroll position plus two small bars
 * (clock, window title) composited over the still part, then encoded.
 */
export type DesktopApp = 'editor' | 'browser' | 'chat' | 'sheet' | 'terminal';
export const DESKTOP_APPS: readonly DesktopApp[] = ['editor', 'browser', 'chat', 'sheet', 'terminal'];

/** What differs between people's desktops. */
export interface DesktopLook {
  /** Names the look in caches and seeds its text. */
  key: string;
  wallpaper: readonly [string, string];
  accent: string;
  /** Editor and terminal in a dark theme. */
  dark: boolean;
  /** Shown in the side panel (the person's to-do list). */
  owner: string;
}

export interface DesktopShot {
  look: DesktopLook;
  app: DesktopApp;
  /** 0..1: how far down the application's content the window shows. */
  scroll: number;
  /** Top bar clock, e.g. "Tue 1 Dec 10:40". */
  clock: string;
  /** Window title, e.g. "tracker.ts — stint — Code". */
  title: string;
}

/** Window titles a person's apps would show. */
export const DESKTOP_TITLES: Record<DesktopApp, readonly string[]> = {
  editor: ['checkout.ts — shop — Code', 'invoice-export.ts — billing — Code', 'README.md — shop — Code', 'orders.test.ts — shop — Code'],
  browser: ['Roadmap Q1 — Docs — Firefox', 'Pull request #482 — GitHub — Firefox', 'Figma — Checkout flow — Firefox', 'Support ticket #3121 — Firefox'],
  chat: ['#dev — Slack', '#support — Slack', 'Maria — Slack', '#releases — Slack'],
  sheet: ['Q4 pipeline.ods — LibreOffice Calc', 'Timesheet December.ods — LibreOffice Calc', 'Pricing.ods — LibreOffice Calc'],
  terminal: ['npm test — shop — Terminal', 'ssh staging — Terminal', 'git log — shop — Terminal'],
};

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** The desktop's panel clock ("Wed 2 Dec 09:41") on the wall clock of `tz` (default: this machine's zone). */
export function clockOf(t: Date, tz?: string): string {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, Number(x.value)]));
  const weekday = new Date(Date.UTC(p.year!, p.month! - 1, p.day!)).getUTCDay();
  return `${WEEKDAYS[weekday]} ${p.day} ${MONTHS[p.month! - 1]} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

export interface Encoding {
  format: 'webp' | 'jpeg' | 'png';
  quality?: number;
  /** WebP's effort, 0 (fastest) to 6 (default 2). */
  effort?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const FONT = 'DejaVu Sans';
const MONO = 'DejaVu Sans Mono';
const LINE = 18;

interface Layout {
  width: number;
  height: number;
  bar: number;
  win: { x: number; y: number; w: number; h: number };
  content: { x: number; y: number; w: number; h: number };
  side: { x: number; y: number; w: number; h: number };
  dock: { x: number; y: number; w: number; h: number };
}

function layout(width: number, height: number): Layout {
  const bar = 28;
  const win = { x: 24, y: bar + 16, w: Math.round(width * 0.7), h: height - bar - 16 - 76 };
  const content = { x: win.x + 1, y: win.y + 31, w: win.w - 2, h: win.h - 32 };
  const sideX = win.x + win.w + 20;
  const side = { x: sideX, y: bar + 40, w: width - sideX - 24, h: height - bar - 40 - 100 };
  const dockW = DESKTOP_APPS.length * 52 + 24;
  const dock = { x: Math.round((width - dockW) / 2), y: height - 62, w: dockW, h: 54 };
  return { width, height, bar, win, content, side, dock };
}

const CODE = [
  "import { createTracker } from './tracker';",
  'export async function main(argv: string[]): Promise<number> {',
  '  const opts = parseAgentOptions(argv, process.env); // --project, --data-dir',
  '  for (const shot of await worker.shoot(Date.now())) log(`capture ${shot.id}`);',
  "  if (status.queue.oldestUnsyncedSeconds > 3600) warn('offline for an hour');",
  '  return 0;',
  '}',
  'interface Invoice { id: string; customer: Customer; lines: InvoiceLine[] }',
  'const total = lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);',
  "  await db.query('UPDATE orders SET state = $1 WHERE id = $2', ['paid', id]);",
  '  expect(await screen.findByRole("button", { name: "Save" })).toBeEnabled();',
  'export const routes = [{ path: "/checkout", element: <Checkout /> }];',
  '  // retry once: the payment provider answers 409 while it settles',
  '  const res = await fetch(`${base}/v1/orders/${id}`, { headers });',
  '  if (!res.ok) throw new Error(`order ${id}: ${res.status}`);',
  '',
];
const PROSE = [
  'Quarterly planning: the roadmap items for the mobile release',
  'Customers asked for offline mode in the field app; three of them',
  'reported that uploads stall on hotel Wi-Fi. We propose batching',
  'the uploads and retrying with backoff, as the desktop client does.',
  'Acceptance: a day offline syncs within a minute of reconnecting.',
  'Open questions: retention of local files, and who may delete them.',
  'Design review notes — spacing tokens, dark theme contrast 4.5:1.',
  'The checkout flow drops 12% of users at the address step.',
];
const CHAT = [
  ['Maria', 'the build is green again, merging now'],
  ['Jon', 'can someone review the invoice export PR?'],
  ['Aisha', 'looking at it after standup'],
  ['Maria', 'customer call moved to 15:30'],
  ['Ken', 'staging is updated with the new pricing page'],
  ['Jon', 'thanks! the CSV totals match the report now'],
  ['Aisha', 'lunch at 12? the new place on the corner'],
] as const;
const LOG = [
  '$ npm test -- --run checkout',
  ' ✓ checkout/address.test.ts (12 tests) 840ms',
  ' ✓ checkout/payment.test.ts (9 tests) 1210ms',
  '$ git status --short',
  ' M src/checkout/Address.tsx',
  '$ docker compose logs api | tail',
  'api  | GET /v1/orders 200 14ms',
  'api  | POST /v1/invoices 201 38ms',
];

/** The application's content, three screens tall, as SVG. */
function contentSvg(app: DesktopApp, look: DesktopLook, w: number, h: number): string {
  const rnd = seededRandom(`${look.key}/${app}`);
  const rows = Math.floor(h / LINE);
  const out: string[] = [];
  const text = (x: number, y: number, s: string, fill: string, size = 13, family = FONT, weight = 'normal') =>
    `<text x="${x}" y="${y}" font-family="${family}" font-size="${size}" font-weight="${weight}" fill="${fill}">${esc(s)}</text>`;
  switch (app) {
    case 'editor': {
      const bg = look.dark ? '#1e1e2e' : '#ffffff';
      let at = 0;
      out.push(`<rect width="${w}" height="${h}" fill="${bg}"/>`, `<rect width="180" height="${h}" fill="${look.dark ? '#181825' : '#f3f4f6'}"/>`);
      for (let i = 0; i < rows; i++) {
        if (i % 2 === 0) out.push(text(14, 20 + i * LINE, `src/${pick(rnd, ['checkout', 'orders', 'sync', 'ui'])}/${pick(rnd, ['index', 'model', 'view', 'api'])}-${i}.ts`, look.dark ? '#a6adc8' : '#57606a', 12));
        if (rnd() < 0.15) at = Math.floor(rnd() * CODE.length);
        const code = CODE[at++ % CODE.length]!;
        const color = code.startsWith('  //') ? '#6c7086' : code.startsWith('import') || code.startsWith('export') ? look.accent : look.dark ? '#cdd6f4' : '#24292f';
        out.push(text(196, 20 + i * LINE, String(i + 1).padStart(4, ' '), look.dark ? '#585b70' : '#8c959f', 13, MONO));
        out.push(text(240, 20 + i * LINE, code, color, 13, MONO));
      }
      break;
    }
    case 'terminal': {
      out.push(`<rect width="${w}" height="${h}" fill="${look.dark ? '#0d1117' : '#fdf6e3'}"/>`);
      for (let i = 0; i < rows; i++) {
        const line = pick(rnd, LOG);
        out.push(text(12, 20 + i * LINE, line, line.startsWith('$') ? look.accent : look.dark ? '#c9d1d9' : '#586e75', 13, MONO));
      }
      break;
    }
    case 'browser': {
      out.push(`<rect width="${w}" height="${h}" fill="#ffffff"/>`, `<rect width="${w}" height="36" fill="#f1f3f4"/>`);
      out.push(`<rect x="12" y="7" width="${w - 24}" height="22" rx="11" fill="#ffffff" stroke="#dadce0"/>`, text(28, 23, 'https://docs.example.com/projects/roadmap', '#3c4043', 12));
      let y = 70;
      while (y < h - 40) {
        out.push(text(60, y, pick(rnd, PROSE).split(':')[0] ?? '', '#202124', 20, FONT, 'bold'));
        y += 30;
        if (rnd() < 0.35) {
          out.push(`<rect x="60" y="${y}" width="${Math.round(w * 0.45)}" height="120" rx="6" fill="${look.wallpaper[1]}" opacity="0.55"/>`);
          y += 136;
        }
        for (let k = 0, n = 3 + Math.floor(rnd() * 4); k < n; k++, y += 20) out.push(text(60, y, pick(rnd, PROSE), '#3c4043', 14));
        y += 24;
      }
      break;
    }
    case 'chat': {
      out.push(`<rect width="${w}" height="${h}" fill="#f8f9fb"/>`, `<rect width="200" height="${h}" fill="#3f0e40"/>`);
      for (let i = 0; i < rows / 2; i++) out.push(text(16, 28 + i * 26, `# ${pick(rnd, ['general', 'dev', 'design', 'support', 'random', 'releases'])}`, '#e0d5e0', 14));
      for (let y = 30; y < h - 20; y += 52) {
        const [who, msg] = pick(rnd, CHAT);
        out.push(`<rect x="220" y="${y - 14}" width="32" height="32" rx="6" fill="${look.accent}" opacity="${0.4 + rnd() * 0.6}"/>`);
        out.push(text(264, y, `${who}  ${9 + Math.floor(rnd() * 8)}:${String(Math.floor(rnd() * 60)).padStart(2, '0')}`, '#1d1c1d', 14, FONT, 'bold'));
        out.push(text(264, y + 20, msg, '#1d1c1d', 14));
      }
      break;
    }
    case 'sheet': {
      out.push(`<rect width="${w}" height="${h}" fill="#ffffff"/>`);
      const cols = Math.floor((w - 40) / 110);
      for (let r = 0; r < rows; r++) {
        const y = r * LINE;
        out.push(`<line x1="0" y1="${y}" x2="${w}" y2="${y}" stroke="#e2e3e3"/>`);
        out.push(text(8, y + 14, String(r + 1), '#5f6368', 11));
        for (let c = 0; c < cols; c++) {
          const x = 40 + c * 110;
          const v = r === 0 ? ['Customer', 'Region', 'Q1', 'Q2', 'Q3', 'Q4', 'Total', 'Growth', 'Owner'][c % 9]! : c < 2 ? pick(rnd, ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'North', 'South', 'EMEA', 'APAC']) : (rnd() * 90_000).toFixed(2);
          out.push(text(x + 6, y + 14, v, r === 0 ? '#202124' : '#3c4043', 12, FONT, r === 0 ? 'bold' : 'normal'));
        }
      }
      for (let c = 0; c <= cols; c++) out.push(`<line x1="${40 + c * 110}" y1="0" x2="${40 + c * 110}" y2="${h}" stroke="#e2e3e3"/>`);
      break;
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" xml:space="preserve" width="${w}" height="${h}">${out.join('')}</svg>`;
}

const ICON_COLORS: Record<DesktopApp, string> = { editor: '#0078d4', browser: '#e8710a', chat: '#611f69', sheet: '#188038', terminal: '#30363d' };

/** Wallpaper, side panel, dock and the main window's frame: the parts that do not change. */
function stillSvg(look: DesktopLook, L: Layout): string {
  const rnd = seededRandom(`${look.key}/side`);
  const items = ['Review invoice export', 'Reply to Acme', 'Update roadmap', 'Fix flaky test', 'Prepare demo', 'Timesheet', 'Design tokens', '1:1 notes', 'Book travel', 'Release notes', 'Triage support queue', 'Pricing page copy'];
  const first = Math.floor(rnd() * items.length);
  const todo = Array.from({ length: Math.min(items.length, Math.floor((L.side.h - 60) / 26)) }, (_, i) => {
    const done = rnd() < 0.4;
    const y = L.side.y + 64 + i * 26;
    return `<rect x="${L.side.x + 16}" y="${y - 12}" width="14" height="14" rx="3" fill="${done ? look.accent : 'none'}" stroke="${look.accent}"/>
      <text x="${L.side.x + 40}" y="${y}" font-family="${FONT}" font-size="13" fill="${done ? '#8c959f' : '#24292f'}">${esc(items[(first + i) % items.length]!)}</text>`;
  }).join('');
  const icons = DESKTOP_APPS.map((a, i) => `<rect x="${L.dock.x + 14 + i * 52}" y="${L.dock.y + 7}" width="40" height="40" rx="10" fill="${ICON_COLORS[a]}"/>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${L.width}" height="${L.height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${look.wallpaper[0]}"/><stop offset="1" stop-color="${look.wallpaper[1]}"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <rect x="${L.side.x}" y="${L.side.y}" width="${L.side.w}" height="${L.side.h}" rx="8" fill="#ffffff" opacity="0.94"/>
    <text x="${L.side.x + 16}" y="${L.side.y + 32}" font-family="${FONT}" font-size="15" font-weight="bold" fill="#24292f">${esc(look.owner)} — to do</text>
    ${todo}
    <rect x="${L.dock.x}" y="${L.dock.y}" width="${L.dock.w}" height="${L.dock.h}" rx="14" fill="#000000" opacity="0.35"/>
    ${icons}
    <rect x="${L.win.x - 1}" y="${L.win.y - 1}" width="${L.win.w + 2}" height="${L.win.h + 2}" rx="8" fill="#000000" opacity="0.25"/>
    <rect x="${L.win.x}" y="${L.win.y}" width="${L.win.w}" height="${L.win.h}" rx="8" fill="#ffffff"/>
  </svg>`;
}

/** The top bar (clock) and the main window's title bar: the parts each screenshot changes. */
function barsSvg(shot: DesktopShot, L: Layout): { top: string; title: string; dot: string } {
  const top = `<svg xmlns="http://www.w3.org/2000/svg" width="${L.width}" height="${L.bar}">
    <rect width="100%" height="100%" fill="#1f2328"/>
    <text x="14" y="19" font-family="${FONT}" font-size="13" fill="#ffffff">Activities</text>
    <text x="${Math.round(L.width / 2) - 60}" y="19" font-family="${FONT}" font-size="13" font-weight="bold" fill="#ffffff">${esc(shot.clock)}</text>
    <text x="${L.width - 110}" y="19" font-family="${FONT}" font-size="12" fill="#d0d7de">${esc(shot.look.owner.split(' ')[0] ?? '')} ▾</text>
  </svg>`;
  const title = `<svg xmlns="http://www.w3.org/2000/svg" width="${L.win.w}" height="30">
    <rect width="100%" height="100%" fill="${shot.look.dark && (shot.app === 'editor' || shot.app === 'terminal') ? '#313244' : '#e9ecef'}"/>
    <circle cx="16" cy="15" r="6" fill="#ff5f57"/><circle cx="34" cy="15" r="6" fill="#febc2e"/><circle cx="52" cy="15" r="6" fill="#28c840"/>
    <text x="${Math.round(L.win.w / 2)}" y="20" text-anchor="middle" font-family="${FONT}" font-size="13" fill="${shot.look.dark && (shot.app === 'editor' || shot.app === 'terminal') ? '#cdd6f4' : '#24292f'}">${esc(shot.title)}</text>
  </svg>`;
  const dot = `<svg xmlns="http://www.w3.org/2000/svg" width="8" height="4"><rect width="8" height="4" rx="2" fill="#ffffff"/></svg>`;
  return { top, title, dot };
}

interface Raster {
  data: Buffer;
  width: number;
  height: number;
}

const rasterise = async (svg: string): Promise<Raster> => {
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
};

/** Paints desktops of one size; caches the still parts per look and the content per look and app. */
export class DesktopPainter {
  private readonly L: Layout;
  private readonly stills = new Map<string, Promise<Raster>>();
  private readonly contents = new Map<string, Promise<Raster>>();

  constructor(
    readonly width = 1280,
    readonly height = 720,
  ) {
    this.L = layout(width, height);
  }

  private cached(map: Map<string, Promise<Raster>>, key: string, make: () => string): Promise<Raster> {
    let r = map.get(key);
    if (!r) map.set(key, (r = rasterise(make())));
    return r;
  }

  async paint(shot: DesktopShot, encoding: Encoding): Promise<Buffer> {
    const { L } = this;
    const [still, content] = await Promise.all([
      this.cached(this.stills, shot.look.key, () => stillSvg(shot.look, L)),
      this.cached(this.contents, `${shot.look.key}/${shot.app}`, () => contentSvg(shot.app, shot.look, L.content.w, L.content.h * 3)),
    ]);
    // Full-width rows of the tall content: a crop is a view into the same buffer.
    const offset = Math.round(Math.min(1, Math.max(0, shot.scroll)) * (content.height - L.content.h));
    const rowBytes = content.width * 3;
    const crop = content.data.subarray(offset * rowBytes, (offset + L.content.h) * rowBytes);
    const bars = barsSvg(shot, L);
    const img = sharp(still.data, { raw: { width: still.width, height: still.height, channels: 3 } }).composite([
      { input: crop, raw: { width: content.width, height: L.content.h, channels: 3 }, left: L.content.x, top: L.content.y },
      { input: Buffer.from(bars.top), left: 0, top: 0 },
      { input: Buffer.from(bars.title), left: L.win.x, top: L.win.y },
      { input: Buffer.from(bars.dot), left: L.dock.x + 14 + DESKTOP_APPS.indexOf(shot.app) * 52 + 16, top: L.dock.y + 49 },
    ]);
    if (encoding.format === 'webp') return img.webp({ quality: encoding.quality ?? 60, effort: encoding.effort ?? 2 }).toBuffer();
    if (encoding.format === 'jpeg') return img.jpeg({ quality: encoding.quality ?? 60, mozjpeg: false }).toBuffer();
    return img.png().toBuffer();
  }
}

/** The benchmarks' look: one fixed desktop. */
export const BENCH_LOOK: DesktopLook = { key: 'bench', wallpaper: ['#e66465', '#9198e5'], accent: '#0550ae', dark: false, owner: 'Maria Bench' };

/**
 * One fixed desktop picture: PNG by default (the benchmarks show it on an X display or encode it),
 * or encoded as a device would send it (the server benchmarks' sample screenshot).
 */
export async function desktopScene(width = 1920, height = 1080, encoding: Encoding = { format: 'png' }): Promise<Buffer> {
  return new DesktopPainter(width, height).paint({ look: BENCH_LOOK, app: 'editor', scroll: 0.3, clock: 'Sun 29 Nov 17:40', title: 'tracker.ts — stint — Code' }, encoding);
}
