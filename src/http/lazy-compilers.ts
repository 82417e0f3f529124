// Fastify compiles every route's request validator (ajv) and response serializer (fast-json-stringify) while it starts:
// about a second of `horizon serve`'s start-up here, for routes most processes never call. These factories wrap
// Fastify's own compilers, with the same options and schemas, so that each route's validator and serializer is
// compiled on its first use instead.
import AjvCompiler from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type Factories = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type ValidatorFactory = NonNullable<Factories['buildValidator']>;
type SerializerFactory = NonNullable<Factories['buildSerializer']>;
type Validate = ReturnType<ReturnType<ValidatorFactory>>;

/**
 * A validator factory whose validators compile on their first call (Fastify reads `errors` after each call). Bodies
 * are validated by an ajv that converts nothing (`"label": 7` stays a number and is refused, `"cn"` is not a list);
 * the querystring, params and headers by one with the app's options (coerceTypes 'array': query values are text,
 * and a parameter given once is a list of one). Every integer a route accepts must be bounded (checked as routes
 * are added, so an unbounded one fails at start-up).
 */
export function lazyValidators(factory: ValidatorFactory = AjvCompiler()): ValidatorFactory {
  return (externalSchemas, options) => {
    let compiler: ReturnType<ValidatorFactory> | undefined;
    let bodyCompiler: ReturnType<ValidatorFactory> | undefined;
    const bodyOptions = {
      ...options,
      customOptions: { ...options?.customOptions, coerceTypes: false },
    } as typeof options;
    return (route) => {
      const where = `${route.method} ${route.url}`;
      // Fastify lower-cases header names only for validators it builds itself; these must be written so.
      if (route.httpPart === 'headers') assertLowerCaseHeaders(route.schema, where);
      assertBoundedIntegers(route.schema, `${where} ${route.httpPart}`);
      let validate: Validate | undefined;
      const lazy = ((data: unknown) => {
        validate ??=
          route.httpPart === 'body'
            ? (bodyCompiler ??= factory(externalSchemas, bodyOptions))(route)
            : (compiler ??= factory(externalSchemas, options))(route);
        const result = validate(data);
        lazy.errors = validate.errors;
        return result;
      }) as Validate;
      return lazy;
    };
  };
}

/** A serializer factory whose serializers compile on their first call. */
export function lazySerializers(factory: SerializerFactory = SerializerSelector()): SerializerFactory {
  return (externalSchemas, options) => {
    let compiler: ReturnType<SerializerFactory> | undefined;
    return (route) => {
      let serialize: ((doc: unknown) => string) | undefined;
      return (doc: unknown) => (serialize ??= (compiler ??= factory(externalSchemas, options))(route))(doc);
    };
  };
}

function assertLowerCaseHeaders(schema: unknown, where: string): void {
  const properties = (schema as { properties?: Record<string, unknown> } | null)?.properties ?? {};
  const upper = Object.keys(properties).find((name) => name !== name.toLowerCase());
  if (upper !== undefined) throw new Error(`${where}: write the header "${upper}" in lower case`);
}

/**
 * Refuses a request schema with an integer (or number) that has no minimum or no maximum: a value beyond them would
 * reach the database (bigint) and fail there. Walks properties, items and unions; `$ref`s are checked where defined.
 */
export function assertBoundedIntegers(schema: unknown, where: string, path = ''): void {
  if (typeof schema !== 'object' || schema === null) return;
  const s = schema as Record<string, unknown>;
  const types = Array.isArray(s.type) ? (s.type as unknown[]) : [s.type];
  if (types.includes('integer') || types.includes('number')) {
    const low = s.minimum ?? s.exclusiveMinimum;
    const high = s.maximum ?? s.exclusiveMaximum;
    if (typeof low !== 'number' || typeof high !== 'number') {
      throw new Error(
        `${where}: the ${String(types.find((t) => t === 'integer' || t === 'number'))} ${path || '(whole value)'} needs a minimum and a maximum`,
      );
    }
  }
  const properties = s.properties;
  if (typeof properties === 'object' && properties !== null) {
    for (const [name, child] of Object.entries(properties))
      assertBoundedIntegers(child, where, path ? `${path}.${name}` : name);
  }
  if (s.items !== undefined) assertBoundedIntegers(s.items, where, `${path}[]`);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = s[key];
    if (Array.isArray(list)) for (const child of list) assertBoundedIntegers(child, where, path);
  }
}
