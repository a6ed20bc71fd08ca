import { join } from 'node:path';

/**
 * Screenshot files are named `<id>.<display>.<ext>` (thumbnail: `<id>.<display>.thumb.<ext>`),
 * so start-up recovery can adopt an orphan file from its name alone: the UUIDv7 carries the
 * capture instant, the name the display.
 */
export function displayKey(displayId: string): string {
  return displayId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100) || 'display';
}

export function shotPaths(dir: string, id: string, displayId: string, ext: string) {
  const stem = `${id}.${displayKey(displayId)}`;
  return { full: join(dir, `${stem}.${ext}`), thumb: join(dir, `${stem}.thumb.${ext}`) };
}

const NAME = /^([0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})\.([A-Za-z0-9_-]+)\.(thumb\.)?(webp|jpg|png)$/;

export interface ParsedShotName {
  id: string;
  displayId: string;
  thumb: boolean;
  ext: string;
}

export function parseShotName(name: string): ParsedShotName | null {
  const m = NAME.exec(name);
  if (!m) return null;
  return { id: m[1]!, displayId: m[2]!, thumb: m[3] !== undefined, ext: m[4]! };
}

export const contentTypeOf = (ext: string) =>
  ext === 'webp' ? ('image/webp' as const) : ext === 'png' ? ('image/png' as const) : ('image/jpeg' as const);
