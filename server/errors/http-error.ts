/** An error a route turns into an RFC 9457 problem+json reply with this status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: Array<{ path: string; message: string }>,
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
  }
}

export const badRequest = (detail: string, errors?: Array<{ path: string; message: string }>) =>
  new HttpError(400, 'Bad Request', detail, errors);
export const unauthorized = (detail = 'missing or invalid credentials') => new HttpError(401, 'Unauthorized', detail);
export const forbidden = (detail: string) => new HttpError(403, 'Forbidden', detail);
export const notFound = (detail: string) => new HttpError(404, 'Not Found', detail);
export const conflict = (detail: string) => new HttpError(409, 'Conflict', detail);
export const gone = (detail: string) => new HttpError(410, 'Gone', detail);
export const unprocessable = (detail: string) => new HttpError(422, 'Unprocessable Content', detail);
