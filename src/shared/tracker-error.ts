/**
 * The TrackerApi's error without zod, so a page can import it without the contract schemas
 * (tracker-api.ts re-exports it and checks its shape against the zod schema).
 */
export const trackerErrorCodes = ['invalid_argument', 'not_found', 'failed_precondition', 'unavailable', 'internal'] as const;
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
