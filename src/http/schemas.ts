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

/** A path parameter `id`. */
export const IdParams = Type.Object({ id: Type.String() });
