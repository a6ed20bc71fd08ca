/**
 * The TrackerApi's error without zod, so a page can import it without the contract schemas
 * (tracker-api.ts re-exports it and checks its shape against the zod schema).
 */
/** `permission_denied`: the signed-in role may not do this (an employee asking for the manager's reads). */
export const trackerErrorCodes = ['invalid_argument', 'not_found', 'failed_precondition', 'permission_denied', 'unavailable', 'internal'] as const;
export type TrackerErrorCode = (typeof trackerErrorCodes)[number];

export interface TrackerErrorShape {
  code: TrackerErrorCode;
  message: string;
  issues?: Array<{ path: string; message: string }> | undefined;
}

export const isTrackerErrorCode = (v: unknown): v is TrackerErrorCode => trackerErrorCodes.includes(v as TrackerErrorCode);

export class TrackerError extends Error {
  constructor(
    readonly code: TrackerErrorCode,
    message: string,
    readonly issues?: TrackerErrorShape['issues'],
  ) {
    super(message);
    this.name = 'TrackerError';
  }
  toJSON(): TrackerErrorShape {
    return { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) };
  }
}

/**
 * contextBridge copies only an Error's message into the page, so the preload puts the whole
 * shape there (marked) and the renderer's bridge turns it back into a TrackerError.
 */
const MARK = 'stint-error:';
export function encodeTrackerError(e: TrackerErrorShape): string {
  return MARK + JSON.stringify({ code: e.code, message: e.message, ...(e.issues ? { issues: e.issues } : {}) });
}

export function decodeTrackerError(err: unknown): unknown {
  const message = err instanceof Error ? err.message : '';
  const at = message.indexOf(MARK);
  if (at < 0) return err;
  try {
    const shape = JSON.parse(message.slice(at + MARK.length)) as TrackerErrorShape;
    return new TrackerError(isTrackerErrorCode(shape.code) ? shape.code : 'internal', String(shape.message), Array.isArray(shape.issues) ? shape.issues : undefined);
  } catch {
    return err;
  }
}
