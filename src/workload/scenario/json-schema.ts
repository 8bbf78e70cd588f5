/**
 * The scenario format as JSON Schema (draft-07, what editors' YAML/JSON language servers read best).
 *
 * Invariants:
 * - generated from the zod schema by `z.toJSONSchema` on the *input* side (what a file may contain);
 *   defaults appear as the file would write them (`"64GiB"`), not as parsed numbers;
 * - what zod cannot express from a transform (size strings, byte strings, addresses) comes from each
 *   field's metadata (fields.ts); the `override` hook below only fills gaps zod leaves in the output;
 * - `schema/scenario.schema.json` is exactly `scenarioJsonSchemaText()`; a test keeps them equal.
 */
import { z } from 'zod';
import { OP_KINDS } from './op-schema.js';
import { ScenarioFileSchema } from './schema.js';

/** Where the committed copy lives, relative to the package root. */
export const SCENARIO_SCHEMA_PATH = 'schema/scenario.schema.json';

/** Give every op body a title naming its kind, so editors label the one-key choices. */
function fillGaps(ctx: { jsonSchema: Record<string, unknown>; path: (string | number)[] }): void {
  const last = ctx.path[ctx.path.length - 1];
  const parent = ctx.path[ctx.path.length - 2];
  if (parent === 'properties' && typeof last === 'string' && (OP_KINDS as readonly string[]).includes(last)) {
    ctx.jsonSchema.title ??= last;
  }
}

/**
 * Draft-07 ignores every keyword beside `$ref`, and zod sometimes puts a description or default there;
 * wrapping the reference in `allOf` keeps those visible to editors.
 */
function wrapRefSiblings(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) wrapRefSiblings(item);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const obj = node as Record<string, unknown>;
  for (const value of Object.values(obj)) wrapRefSiblings(value);
  if (typeof obj.$ref !== 'string' || Object.keys(obj).length === 1) return;
  const ref = { $ref: obj.$ref };
  delete obj.$ref;
  obj.allOf = Array.isArray(obj.allOf) ? [ref, ...obj.allOf] : [ref];
}

/** The scenario format as a JSON Schema object (draft-07). */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ScenarioFileSchema, {
    target: 'draft-07',
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => fillGaps(ctx as { jsonSchema: Record<string, unknown>; path: (string | number)[] }),
  });
  // A plain JSON copy: the generator's result also carries a non-enumerable Standard Schema handle.
  const json = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  wrapRefSiblings(json);
  return json;
}

/** The committed file's exact text: the schema, two-space indented, with a final newline. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
