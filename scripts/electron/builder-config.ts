import Ajv, { type ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'yaml';

/** The JSON schema electron-builder validates its configuration with (it ships in app-builder-lib). */
export function builderSchema(): object {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
}

/**
 * Checks an electron-builder.yml against that schema: every key must be one electron-builder
 * knows (the schema says additionalProperties: false at every level) with a value of its type.
 * Returns one line per problem, `<path>: <reason>`, empty when the file is valid.
 */
export function checkBuilderConfig(file: string): string[] {
  const config: unknown = parse(readFileSync(file, 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  // The schema's one custom keyword, `typeof: "function"`, stands where the TypeScript type is a
  // hook or a record (linux.desktop.entry): electron-builder's own check (ajv, strict off) ignores
  // it, so it passes here too. Everything else is checked strictly, without type coercion.
  ajv.addKeyword({ keyword: 'typeof', validate: () => true });
  const validate = ajv.compile(builderSchema());
  if (validate(config)) return [];
  return describe(validate.errors ?? []);
}

function describe(errors: ErrorObject[]): string[] {
  // anyOf branches repeat the same complaint in several shapes: keep one line per path and reason.
  const lines = errors
    .filter((e) => e.keyword !== 'anyOf')
    .map((e) => {
      const at = e.instancePath || '/';
      if (e.keyword === 'additionalProperties') return `${at}: unknown key "${String((e.params as { additionalProperty: string }).additionalProperty)}"`;
      return `${at}: ${e.message ?? e.keyword}`;
    });
  return [...new Set(lines)];
}
