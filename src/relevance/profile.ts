// Enterprise profile v1: its JSON Schema, built from the rules engine's fact catalogue, and validation with paths.
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import type { Problem } from '../errors.ts';
import type { FactCatalogue, FactSpec, Profile } from '../rules/engine.ts';

type Schema = Record<string, unknown>;

function factSchema(spec: FactSpec): Schema {
  const described = { description: spec.help.en, title: spec.label.en };
  switch (spec.type) {
    case 'list':
      return {
        ...described,
        type: 'array',
        maxItems: 200,
        uniqueItems: true,
        items: spec.values ? { enum: [...spec.values] } : { type: 'string', maxLength: 100 },
      };
    case 'enum':
      return { ...described, enum: [...(spec.values ?? [])] };
    case 'boolean':
      return { ...described, type: 'boolean' };
    case 'number':
      return {
        ...described,
        type: spec.integer ? 'integer' : 'number',
        ...(spec.min === undefined ? {} : { minimum: spec.min }),
      };
    case 'string':
      return { ...described, type: 'string', maxLength: 500 };
  }
}

/** The JSON Schema of profile v1 for a fact catalogue (jurisdiction codes come from the catalogue's tree). */
export function profileSchema(facts: FactCatalogue): Schema {
  const root: Schema = { type: 'object', additionalProperties: false, properties: {} };
  for (const spec of Object.values(facts)) {
    const parts = spec.path.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const props = node.properties as Record<string, Schema>;
      props[part] ??= { type: 'object', additionalProperties: false, properties: {} };
      node = props[part];
    }
    (node.properties as Record<string, Schema>)[parts[parts.length - 1] ?? spec.path] = factSchema(spec);
  }
  return {
    $id: 'https://horizon.example/schema/profile-1.json',
    title: 'Enterprise profile, version 1',
    description: 'Every field is optional: a missing fact is unknown, never false.',
    ...root,
  };
}

function message(e: ErrorObject): { where: string; message: string } {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(e.params.additionalProperty as string);
      return { where: base ? `${base}.${name}` : name, message: 'is not a field of profile v1' };
    }
    case 'enum':
      return {
        where: base,
        message: `must be one of: ${(e.params.allowedValues as unknown[]).map(String).join(', ')}`,
      };
    default:
      return { where: base || '(profile)', message: e.message ?? 'is not valid' };
  }
}

/** Validates profiles v1 against a fact catalogue. */
export class ProfileValidator {
  private readonly validate;
  readonly schema: Schema;
  constructor(facts: FactCatalogue) {
    this.schema = profileSchema(facts);
    this.validate = new Ajv2020({ allErrors: true, strict: false }).compile(this.schema);
  }

  /** The profile, or every problem with its field path (e.g. `product.riskLevel: must be one of: low, medium, high`). */
  check(input: unknown): { profile: Profile; problems?: undefined } | { profile?: undefined; problems: Problem[] } {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      return { problems: [{ where: '(profile)', message: 'must be a JSON object' }] };
    }
    if (this.validate(input)) return { profile: input };
    const seen = new Set<string>();
    const problems: Problem[] = [];
    for (const e of this.validate.errors ?? []) {
      const p = message(e);
      const key = `${p.where}|${p.message}`;
      if (!seen.has(key)) problems.push(p);
      seen.add(key);
    }
    return { problems };
  }
}
