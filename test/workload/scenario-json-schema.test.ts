/** The JSON Schema: the committed file is current, and it structurally accepts the format example. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  SCENARIO_SCHEMA_PATH,
  scenarioJsonSchema,
  scenarioJsonSchemaText,
} from '../../src/workload/scenario/json-schema.js';
import { packageRoot } from '../../src/workload/scenario/load.js';
import { OP_KINDS } from '../../src/workload/scenario/op-schema.js';

type Json = Record<string, unknown>;
const committedPath = join(packageRoot(), SCENARIO_SCHEMA_PATH);
const fixture = parseYaml(
  readFileSync(fileURLToPath(new URL('./fixtures/format-example.yaml', import.meta.url)), 'utf8'),
) as Json;
const schema = scenarioJsonSchema();
const defs = schema.definitions as Record<string, Json>;

/** Follow `$ref` and merge `allOf` parts, so a property's keywords are in one object. */
function resolve(s: Json): Json {
  let out: Json = { ...s };
  if (typeof s.$ref === 'string')
    out = { ...resolve(defs[s.$ref.replace('#/definitions/', '')] ?? {}), ...out };
  for (const part of (s.allOf as Json[] | undefined) ?? []) out = { ...resolve(part), ...out };
  return out;
}

/**
 * A small structural validator: object keys against `properties`/`required`/`additionalProperties`,
 * enums, patterns and integer types, through `$ref`, `allOf` and `anyOf` (`not` is ignored). It returns
 * the paths it rejects.
 */
function problems(value: unknown, raw: Json, path: string): string[] {
  const { anyOf, ...s } = resolve(raw);
  const own = ownProblems(value, s, path);
  if (!Array.isArray(anyOf)) return own;
  const branches = (anyOf as Json[]).map((branch) => problems(value, branch, path));
  return branches.some((p) => p.length === 0) ? own : [...own, `${path}: no anyOf branch`];
}

function ownProblems(value: unknown, s: Json, path: string): string[] {
  if (Array.isArray(s.enum) && !s.enum.includes(value)) return [`${path}: not in enum`];
  if ('const' in s && s.const !== value) return [`${path}: not ${String(s.const)}`];
  if (s.type === 'integer' && !Number.isInteger(value)) return [`${path}: not an integer`];
  if (s.type === 'string' && typeof value !== 'string') return [`${path}: not a string`];
  if (typeof s.pattern === 'string' && typeof value === 'string' && !new RegExp(s.pattern).test(value)) {
    return [`${path}: pattern`];
  }
  if (Array.isArray(value))
    return value.flatMap((v, i) => problems(v, (s.items as Json) ?? {}, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  const props = (s.properties as Record<string, Json> | undefined) ?? {};
  const out = ((s.required as string[] | undefined) ?? [])
    .filter((k) => !(k in value))
    .map((k) => `${path}.${k}: missing`);
  for (const [k, v] of Object.entries(value)) {
    const extra = s.additionalProperties;
    const sub = props[k] ?? (typeof extra === 'object' ? (extra as Json) : undefined);
    if (sub !== undefined) out.push(...problems(v, sub, `${path}.${k}`));
    else if (extra === false) out.push(`${path}.${k}: unknown key`);
  }
  return out;
}

describe('scenarioJsonSchema (schema/scenario.schema.json)', () => {
  it('the committed file is the generated one (DAXSIM_WRITE_SCHEMA=1 regenerates it)', () => {
    if (process.env.DAXSIM_WRITE_SCHEMA === '1') writeFileSync(committedPath, scenarioJsonSchemaText());
    expect(readFileSync(committedPath, 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it('is a draft-07 object schema that forbids unknown keys and requires files and tasks', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['files', 'tasks']);
  });

  it('has every top-level key of the format example, and every op kind, with exactly one key per op', () => {
    const props = schema.properties as Json;
    for (const key of Object.keys(fixture)) expect(props, key).toHaveProperty([key]);
    const op = defs.op as Json;
    expect(Object.keys(op.properties as Json)).toEqual([...OP_KINDS]);
    expect([op.minProperties, op.maxProperties, op.additionalProperties]).toEqual([1, 1, false]);
  });

  it('accepts the format example (structural check)', () => {
    expect(problems(fixture, schema, '')).toEqual([]);
  });

  it('rejects an unknown key, a bad enum value, a bad size string and a write without data', () => {
    const bad = structuredClone(fixture) as {
      device: Json;
      fs: Json;
      files: Json[];
      tasks: { ops: Json[] }[];
    };
    bad.device.sise = 1;
    bad.fs.writeback = 'never';
    (bad.files[0] as Json).size = '4MB';
    const write = (bad.tasks[1] as { ops: Json[] }).ops[1] as { write: Json };
    delete write.write.data;
    expect(problems(bad, schema, '')).toEqual([
      '.device.sise: unknown key',
      '.fs.writeback: not in enum',
      '.files[0].size: no anyOf branch',
      '.tasks[1].ops[1].write: no anyOf branch',
    ]);
  });

  it('describes sizes so editors can check them: integer or size string', () => {
    const size = defs.size as Json;
    const pattern = new RegExp(((size.anyOf as Json[])[1] as Json).pattern as string);
    for (const ok of ['4096', '0x200000', '4KiB', '2MiB', '1GiB', '1TiB'])
      expect(pattern.test(ok), ok).toBe(true);
    for (const bad of ['2MB', '-1', '1.5MiB', '4 KiB', 'auto']) expect(pattern.test(bad), bad).toBe(false);
    expect(typeof size.description).toBe('string');
  });

  it('keeps descriptions and defaults beside references visible to draft-07 (no $ref siblings)', () => {
    const walk = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      if ('$ref' in node) expect(Object.keys(node)).toEqual(['$ref']);
      for (const child of Object.values(node)) walk(child);
    };
    walk(schema);
    const device = (schema.properties as Record<string, Json>).device as Json;
    expect((device.properties as Record<string, Json>).size).toMatchObject({
      default: '64GiB',
      description: 'Device size.',
    });
  });
});
