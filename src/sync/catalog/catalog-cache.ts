import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MeResponse, Project } from '../../shared/http/org';

/** What the device keeps from the server for offline use: who it is, the projects, the capture policy. */
export interface Catalog {
  me: MeResponse;
  projects: Project[];
  /** Device epoch ms of the pull. */
  fetchedAt: number;
}

export interface CatalogCache {
  load(): Catalog | null;
  save(catalog: Catalog): void;
}

export function memoryCatalogCache(): CatalogCache {
  let value: Catalog | null = null;
  return { load: () => value, save: (c) => void (value = c) };
}

/** A JSON file written atomically; a corrupt or missing file reads as no cache. */
export function fileCatalogCache(path: string): CatalogCache {
  return {
    load() {
      try {
        return JSON.parse(readFileSync(path, 'utf8')) as Catalog;
      } catch {
        return null;
      }
    },
    save(catalog) {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(catalog));
      renameSync(tmp, path);
    },
  };
}
