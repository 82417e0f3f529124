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

/** A validator factory whose validators compile on their first call (Fastify reads `errors` after each call). */
export function lazyValidators(factory: ValidatorFactory = AjvCompiler()): ValidatorFactory {
  return (externalSchemas, options) => {
    let compiler: ReturnType<ValidatorFactory> | undefined;
    return (route) => {
      // Fastify lower-cases header names only for validators it builds itself; these must be written so.
      if (route.httpPart === 'headers') assertLowerCaseHeaders(route.schema, `${route.method} ${route.url}`);
      let validate: Validate | undefined;
      const lazy = ((data: unknown) => {
        validate ??= (compiler ??= factory(externalSchemas, options))(route);
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
