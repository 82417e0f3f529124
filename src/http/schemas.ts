// TypeBox schemas every API route shares: the one error body, as_of and lang parameters, bilingual text.
import { Type } from '@sinclair/typebox';

/** The error body of every API answer that is not a success (HorizonError.body(lang): messages in ?lang= / Accept-Language); problems name fields. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String(),
        message: Type.String(),
        problems: Type.Optional(
          Type.Array(Type.Object({ where: Type.String(), message: Type.String() }, { additionalProperties: true })),
        ),
      },
      { additionalProperties: true },
    ),
  },
  { description: 'An error; problems name the parameter or field.' },
);

/** ?as_of=: the date to look from. */
export const AsOf = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'The date to look from (YYYY-MM-DD); default today.',
});

/** ?lang=: the language of text. */
export const LangQuery = Type.Union([Type.Literal('en'), Type.Literal('zh')], {
  description: 'The language of the text: en (default) or zh.',
});

/** Text in both languages. */
export const Bilingual = Type.Object({ en: Type.String(), zh: Type.String() });

/** The largest whole number a parameter may carry: the largest a JavaScript number holds exactly (< bigint's). */
export const MAX_WHOLE_NUMBER = Number.MAX_SAFE_INTEGER;

/** A whole number from `minimum` to `maximum` (default: MAX_WHOLE_NUMBER); every integer a route accepts is bounded. */
export const WholeNumber = (
  options: { minimum?: number; maximum?: number; default?: number; description?: string } = {},
) => Type.Integer({ minimum: 0, maximum: MAX_WHOLE_NUMBER, ...options });

/** An id or code given in a path or query: at most 200 characters. */
export const Key = (description?: string) =>
  Type.String({ maxLength: 200, ...(description === undefined ? {} : { description }) });

/** A path parameter `id`. */
export const IdParams = Type.Object({ id: Key() });
