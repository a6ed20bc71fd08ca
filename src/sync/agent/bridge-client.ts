import { TrackerError, trackerErrorSchema, trackerMethods, type TrackerApi } from '../../shared/tracker-api';

/**
 * A TrackerApi over the loopback bridge, generated from the same method table (Node's fetch).
 * Errors come back as TrackerError with the bridge's code and reason.
 */
export function createBridgeClient(baseUrl: string, token: string): TrackerApi {
  const call = async (method: string, input: unknown) => {
    const res = await fetch(`${baseUrl}/api/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {}),
    });
    const body = (await res.json()) as unknown;
    if (res.ok) return body;
    const p = body as { title?: string; detail?: string; errors?: unknown };
    const code = trackerErrorSchema.shape.code.safeParse(p.title);
    throw new TrackerError(code.success ? code.data : 'internal', p.detail ?? `HTTP ${res.status}`, p.errors as never);
  };
  return Object.fromEntries(trackerMethods.map((m) => [m, (input: unknown) => call(m, input)])) as unknown as TrackerApi;
}
