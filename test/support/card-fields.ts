/**
 * Finds a field *named* like a card security code (`"cvv":`, `cardCvc=`, `csc: …`) in stored or logged
 * text. It looks at names, not at any three letters: random tokens and ids may well contain "cVc".
 */
export const hasCardCodeField = (text: string): boolean => /["'\s&?{,]\w*(cvv|cvc|csc)\w*["']?\s*[:=]/i.test(text);
