// The bundle's JSON Schema: validators per kind of file, readable messages, and canonical key order.
import { createRequire } from 'node:module';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

const require = createRequire(import.meta.url);
type SchemaNode = Readonly<Record<string, unknown>>;
const schema = require('./bundle.schema.json') as { $id: string; $defs: Record<string, SchemaNode> };

export type FileKind =
  | 'bundleFile'
  | 'jurisdictionsFile'
  | 'taxonomyFile'
  | 'chaptersFile'
  | 'sourcesFile'
  | 'bodiesFile'
  | 'instrumentFile'
  | 'programmeFile'
  | 'articleFile'
  | 'revisionFrontMatter';

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
ajv.addSchema(schema);
const validators = new Map<FileKind, ValidateFunction>();

/** One schema violation: where (a JSON path into the file), an optional key, and why. */
export interface SchemaViolation {
  readonly path: (string | number)[];
  readonly key?: string;
  readonly message: string;
}

const DATE_PATTERN = (schema.$defs.date as { pattern: string }).pattern;

function describe(error: ErrorObject): string {
  const def = /#\/\$defs\/(\w+)\//.exec(error.schemaPath)?.[1];
  switch (error.keyword) {
    case 'required':
      return `missing required field "${String(error.params.missingProperty)}"`;
    case 'additionalProperties':
      return `unknown field "${String(error.params.additionalProperty)}"`;
    case 'enum':
      return `must be one of: ${(error.params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(error.params.allowedValue)}`;
    case 'pattern':
      if (def === 'date' || error.params.pattern === DATE_PATTERN)
        return 'must be a date written YYYY-MM-DD, YYYY-MM or YYYY';
      if (def === 'day') return 'must be a date written YYYY-MM-DD';
      if (def === 'code' || def === 'id') return 'must be lower-case letters and digits joined by single hyphens';
      return `must match ${String(error.params.pattern)}`;
    case 'minLength':
      return 'must not be empty';
    default:
      return error.message ?? 'is not valid';
  }
}

/** Validates data as the given kind of file; returns every violation found. */
export function checkSchema(kind: FileKind, data: unknown): SchemaViolation[] {
  let validate = validators.get(kind);
  if (!validate) {
    validate = ajv.compile({ $ref: `${schema.$id}#/$defs/${kind}` });
    validators.set(kind, validate);
  }
  if (validate(data)) return [];
  const seen = new Set<string>();
  const out: SchemaViolation[] = [];
  for (const error of validate.errors ?? []) {
    const path = error.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const key = error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : undefined;
    const message = describe(error);
    const id = `${error.instancePath}|${key ?? ''}|${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ path, ...(key ? { key } : {}), message: path.length ? `${path.join('.')}: ${message}` : message });
  }
  return out;
}

function resolve(node: SchemaNode | undefined): SchemaNode | undefined {
  let current = node;
  for (let i = 0; current && i < 10; i++) {
    if (typeof current.$ref === 'string') {
      current = schema.$defs[current.$ref.replace('#/$defs/', '')];
    } else if (Array.isArray(current.allOf)) {
      const parts = (current.allOf as SchemaNode[]).map(resolve);
      current = parts.find((p) => p?.properties || p?.items) ?? parts[0];
    } else return current;
  }
  return current;
}

function order(value: unknown, node: SchemaNode | undefined): unknown {
  const s = resolve(node);
  if (Array.isArray(value)) return value.map((v) => order(v, s?.items as SchemaNode | undefined));
  if (value && typeof value === 'object') {
    const props = (s?.properties ?? {}) as Record<string, SchemaNode>;
    const obj = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(props)) if (obj[key] !== undefined) out[key] = order(obj[key], props[key]);
    for (const key of Object.keys(obj)) if (!(key in out) && obj[key] !== undefined) out[key] = obj[key];
    return out;
  }
  return value;
}

/** The value with every object's keys in the order the schema lists them: the canonical form of a bundle entry. */
export function canonical<T>(kind: FileKind, value: T): T {
  return order(value, schema.$defs[kind]) as T;
}
