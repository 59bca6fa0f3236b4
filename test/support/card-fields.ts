/**
 * A field *named* like a card security code (`"cvv":`, `cardCvc=`, `csc: …`, `card_cvv2`,
 * `securityCode`) in stored or logged text. The name must be the whole key, not letters inside a
 * longer token: random ids, tokens and base64 values may well contain "cVc", and a padded base64
 * value ends in `=` just as a form field's name does.
 */
const CARD_CODE_NAME = /(?:^|[^\w-])(?:(?:(?:card|security)[_-]?)?(?:cvv2?|cvc2?|csc)|security[_-]?code)["']?\s*[:=]/i;

export const hasCardCodeField = (text: string): boolean => CARD_CODE_NAME.test(text);

/** The text 60 characters either side of the first match of `pattern`, for a failure message; undefined when it does not match. */
export const textAround = (text: string, pattern: RegExp): string | undefined => {
  const match = pattern.exec(text);
  return match ? text.slice(Math.max(0, match.index - 60), match.index + match[0].length + 60) : undefined;
};

/** The text around the first card-code field name, for a failure message; undefined when there is none. */
export const cardCodeFieldContext = (text: string): string | undefined => textAround(text, CARD_CODE_NAME);
