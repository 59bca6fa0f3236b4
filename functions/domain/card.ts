import valid from 'card-validator';

/**
 * Card details as typed by the customer. They live only in memory for one request: the gateway
 * adapter receives them and they are dropped; only `CardSummary` is ever stored.
 */
export interface CardDetails {
  nameOnCard: string;
  /** Digits only. */
  number: string;
  cvv: string;
  brand: string;
  expMonth: number;
  /** Four digits. */
  expYear: number;
}

/** What may be kept and shown: brand, last four digits and expiry. Never the number or CVV. */
export interface CardSummary {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export interface CardForm {
  nameOnCard?: string;
  cardNumber?: string;
  expiry?: string;
  cvv?: string;
}

export interface FieldProblem {
  path: string;
  message: string;
}

export type CardCheck = { ok: true; card: CardDetails } | { ok: false; fields: FieldProblem[] };

/** How far ahead an expiry may be; card-validator's default `maxElapsedYear`. */
const MAX_YEARS_AHEAD = 19;

/**
 * Reads `MM/YY`, `MM/YYYY` or `MMYY` (spaces ignored) and accepts it when the card is still valid
 * at `now`: a card works through the last day of its expiry month (UTC). card-validator's own
 * expiry check reads the system clock, so this one takes `now` instead and stays testable on any date.
 */
export const readExpiry = (raw: string, now: Date): { month: number; year: number } | undefined => {
  const text = raw.replace(/\s/g, '');
  const match = /^(\d{1,2})\/(\d{2}|\d{4})$/.exec(text) ?? /^(\d{2})(\d{2}|\d{4})$/.exec(text);
  if (!match) return undefined;
  const month = Number(match[1]);
  const year = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  if (month < 1 || month > 12) return undefined;
  const thisYear = now.getUTCFullYear();
  const expired = year < thisYear || (year === thisYear && month < now.getUTCMonth() + 1);
  return expired || year > thisYear + MAX_YEARS_AHEAD ? undefined : { month, year };
};

/**
 * Validates the card form with `card-validator` (Luhn, brand, lengths, CVV length for the brand)
 * and the expiry against `now`, before any gateway is called. Messages never repeat the input.
 */
export const readCard = (form: CardForm, now: Date): CardCheck => {
  const fields: FieldProblem[] = [];
  const nameOnCard = (form.nameOnCard ?? '').trim();
  if (!nameOnCard) fields.push({ path: 'nameOnCard', message: 'Enter the name on the card.' });
  else if (nameOnCard.length > 100 || !valid.cardholderName(nameOnCard).isValid) {
    fields.push({ path: 'nameOnCard', message: 'Enter the name as it appears on the card.' });
  }

  const number = (form.cardNumber ?? '').replace(/[\s-]/g, '');
  const numberCheck = valid.number(number);
  if (!number) fields.push({ path: 'cardNumber', message: 'Enter the card number.' });
  else if (!/^\d{12,19}$/.test(number) || !numberCheck.isValid || !numberCheck.card) {
    fields.push({ path: 'cardNumber', message: 'This card number is not valid. Please check it.' });
  }

  const expiry = readExpiry(form.expiry ?? '', now);
  if (!form.expiry?.trim()) fields.push({ path: 'expiry', message: 'Enter the expiration date (MM / YY).' });
  else if (!expiry) fields.push({ path: 'expiry', message: 'Enter a future expiration date as MM / YY.' });

  const cvv = (form.cvv ?? '').trim();
  const cvvSize = numberCheck.card?.code.size ?? [3, 4];
  if (!cvv) fields.push({ path: 'cvv', message: 'Enter the CVV (the security code on the card).' });
  else if (!/^\d+$/.test(cvv) || !valid.cvv(cvv, cvvSize).isValid) {
    fields.push({ path: 'cvv', message: `Enter the ${Array.isArray(cvvSize) ? '3 or 4' : cvvSize}-digit security code.` });
  }

  if (fields.length || !numberCheck.card || !expiry) return { ok: false, fields };
  return {
    ok: true,
    card: {
      nameOnCard,
      number,
      cvv,
      brand: numberCheck.card.niceType,
      expMonth: expiry.month,
      expYear: expiry.year,
    },
  };
};

/** The only card facts that may be stored, logged or shown. */
export const summariseCard = (card: CardDetails): CardSummary => ({
  brand: card.brand,
  last4: card.number.slice(-4),
  expMonth: card.expMonth,
  expYear: card.expYear,
});
