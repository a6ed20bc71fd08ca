import type { z } from 'zod';

/** A server answer checked against its contract; a mismatch says which request it was. */
export function parse<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const result = schema.safeParse(data);
  if (!result.success) throw new Error(`unexpected answer to ${what}: ${result.error.message}`);
  return result.data;
}
