import { z } from 'zod';

/** Free text a person typed (names, labels): PostgreSQL text cannot hold a NUL character. */
export const text = (min: number, max: number) =>
  z.string().min(min).max(max).refine((s) => !s.includes('\u0000'), 'must not contain a NUL character');
