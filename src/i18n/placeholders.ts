// The placeholders of an ICU message and the type each needs: used by the key generator and the catalogue test.
import { TYPE, parse, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

/** What a placeholder takes: a number (plural, number), one of a set of words (select) or any text. */
export type PlaceholderType = 'number' | 'select' | 'text' | 'date';

/** Parses a message (tags ignored, as the formatter does) and returns its placeholders by name; throws if it does not parse. */
export function placeholders(message: string): Map<string, PlaceholderType> {
  const found = new Map<string, PlaceholderType>();
  const walk = (elements: readonly MessageFormatElement[]): void => {
    for (const e of elements) {
      switch (e.type) {
        case TYPE.literal:
        case TYPE.pound:
          break;
        case TYPE.argument:
          if (!found.has(e.value)) found.set(e.value, 'text');
          break;
        case TYPE.number:
          found.set(e.value, 'number');
          break;
        case TYPE.date:
        case TYPE.time:
          found.set(e.value, 'date');
          break;
        case TYPE.plural:
          found.set(e.value, 'number');
          for (const option of Object.values(e.options)) walk(option.value);
          break;
        case TYPE.select:
          found.set(e.value, 'select');
          for (const option of Object.values(e.options)) walk(option.value);
          break;
        case TYPE.tag:
          walk(e.children);
          break;
      }
    }
  };
  walk(parse(message, { ignoreTag: true }));
  return found;
}
