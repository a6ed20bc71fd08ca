import { TrackerError } from '../../shared/tracker-error';

/** A failure in words for the window, and per-field reasons when the core named fields. */
export function describeError(err: unknown): { message: string; fields: Record<string, string> } {
  if (err instanceof TrackerError) {
    const fields: Record<string, string> = {};
    for (const i of err.issues ?? []) if (i.path && !fields[i.path]) fields[i.path] = i.message;
    return { message: err.message, fields };
  }
  return { message: err instanceof Error ? err.message : String(err), fields: {} };
}
