// Enterprise profile v1: its JSON Schema, built from the rules engine's fact catalogue, and validation with paths.
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { problem, schemaMessage, schemaPath, type Problem } from '../errors.ts';
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
        // Bounded like every number a request carries: beyond it a whole number is no longer exact.
        maximum: Number.MAX_SAFE_INTEGER,
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

/** An ajv error as a problem with its field path, worded from the catalogue for the common keywords. */
function message(e: ErrorObject): Problem {
  const base = schemaPath(e);
  if (e.keyword === 'additionalProperties') {
    const name = String(e.params.additionalProperty as string);
    return problem(base ? `${base}.${name}` : name, { key: 'error.profile.notField' });
  }
  const where = e.keyword === 'enum' ? base : base || '(profile)';
  const text = schemaMessage(e);
  return typeof text === 'string' ? { where, message: text } : problem(where, text);
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
      return { problems: [problem('(profile)', { key: 'error.profile.notObject' })] };
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
