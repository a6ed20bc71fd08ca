import type { z } from 'zod';
import { badRequest } from '../errors/http-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses `value` with a contract schema; a failure is a 400 that names every bad field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'path'): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const errors = r.error.issues.slice(0, 20).map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw badRequest(`invalid ${where}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
}

export function uuidParam(value: unknown, name = 'id'): string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw badRequest(`${name} must be a UUID`, [{ path: `path.${name}`, message: 'must be a UUID' }]);
  }
  return value.toLowerCase();
}
