import { formatMoney } from './money';

/** The statement item fields the page shows (see the data contract). */
export interface StatementForPage {
  customerId: string;
  locationId: string;
  version: number;
  statementId?: string;
  balanceDueMinor?: number;
  paidMinor?: number;
  remainingMinor?: number;
  billingDate?: string;
  dueDate?: string;
  memo?: string;
  attachment?: { key: string; fileName: string; sizeBytes?: number };
}

export interface LocationForPage {
  name: string;
  currency: string;
  timeZone?: string;
  branding?: { displayName?: string | null; accentColor?: string | null } | null;
}

/**
 * `no_statement`: the customer exists but the merchant has not sent a statement yet (version 0).
 * `nothing_due`: a statement of 0.00. `paid_in_full` / `partially_paid`: payments were made.
 */
export type StatementState = 'no_statement' | 'nothing_due' | 'due' | 'partially_paid' | 'paid_in_full';

export interface StatementView {
  businessName: string;
  accentColor: string;
  onAccentColor: string;
  state: StatementState;
  version: number;
  billingDate?: string;
  dueDate?: string;
  total: string;
  paid: string;
  balance: string;
  remainingMinor: number;
  /** The amount field's default: the remaining balance as a plain decimal. */
  balanceInput: string;
  currency: string;
  memo?: string;
  attachmentName?: string;
}

/** The service's own accent when a location has no branding: dark teal, 5.7:1 on white. */
export const DEFAULT_ACCENT = '#0A6B5A';

/** `2020-02-24` → `02/24/2020`, as the guide shows it. */
export const formatPageDate = (isoDate: string | undefined): string | undefined => {
  const match = isoDate ? /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate) : null;
  return match ? `${match[2]}/${match[3]}/${match[1]}` : undefined;
};

const luminance = (hex: string): number => {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
};

export const contrastRatio = (a: string, b: string): number => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
};

/** Black or white, whichever reads better on the merchant's accent colour (WCAG contrast). */
export const textColourOn = (background: string): string =>
  contrastRatio(background, '#FFFFFF') >= contrastRatio(background, '#000000') ? '#FFFFFF' : '#000000';

/**
 * The accent only colours the button background (with `textColourOn` for its text) and the header
 * rule, never text on white, so any merchant colour stays readable.
 */
const usableAccent = (colour: string | null | undefined): string =>
  colour && /^#[0-9a-fA-F]{6}$/.test(colour) ? colour.toUpperCase() : DEFAULT_ACCENT;

const stateOf = (s: StatementForPage): StatementState => {
  if (!s.version || s.balanceDueMinor === undefined) return 'no_statement';
  const paid = s.paidMinor ?? 0;
  const remaining = s.remainingMinor ?? s.balanceDueMinor;
  if (s.balanceDueMinor === 0) return 'nothing_due';
  if (remaining <= 0) return 'paid_in_full';
  return paid > 0 ? 'partially_paid' : 'due';
};

const plainDecimal = (minor: number) => `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

/** Everything the statement page shows, formatted for the location's currency. */
export const statementView = (statement: StatementForPage, location: LocationForPage): StatementView => {
  const money = (amountMinor: number) => formatMoney({ amountMinor, currency: location.currency });
  const accentColor = usableAccent(location.branding?.accentColor);
  const remainingMinor = Math.max(0, statement.remainingMinor ?? statement.balanceDueMinor ?? 0);
  return {
    businessName: location.branding?.displayName || location.name,
    accentColor,
    onAccentColor: textColourOn(accentColor),
    state: stateOf(statement),
    version: statement.version ?? 0,
    billingDate: formatPageDate(statement.billingDate),
    dueDate: formatPageDate(statement.dueDate),
    total: money(statement.balanceDueMinor ?? 0),
    paid: money(statement.paidMinor ?? 0),
    balance: money(remainingMinor),
    remainingMinor,
    balanceInput: plainDecimal(remainingMinor),
    currency: location.currency,
    memo: statement.memo || undefined,
    attachmentName: statement.attachment?.fileName,
  };
};
