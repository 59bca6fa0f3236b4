import type { ProcessorLink } from './processor';
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
  contactPhone?: string | null;
  contactEmail?: string | null;
  address?: { line1: string; line2?: string | null; city: string; region?: string | null; postalCode?: string | null; country: string } | null;
  branding?: { displayName?: string | null; accentColor?: string | null; logoUrl?: string | null } | null;
  /** The processor account the location is paid into (Stripe Connect), when connected. */
  processor?: ProcessorLink;
}

export interface CustomerForPage {
  firstName: string;
  lastName: string;
}

/** How the business can be reached, as the page and the receipt show it. */
export interface BusinessContact {
  addressLines: string[];
  /** As shown, and E.164 for the `tel:` link. */
  phone?: { display: string; e164: string };
  email?: string;
}

/**
 * `no_statement`: the customer exists but the merchant has not sent a statement yet (version 0).
 * `nothing_due`: a statement of 0.00. `paid_in_full` / `partially_paid`: payments were made.
 */
export type StatementState = 'no_statement' | 'nothing_due' | 'due' | 'partially_paid' | 'paid_in_full';

export interface StatementView {
  businessName: string;
  /** https only (the schema's rule); the page's CSP allows images from this origin alone. */
  logoUrl?: string;
  contact: BusinessContact;
  /** Whom the statement is for: the customer's name. */
  customerName?: string;
  /** A short number the customer can quote, from the statement id, e.g. `ST-4F7Q9KZ2`. */
  statementNumber?: string;
  /** The due date is past (in the location's time zone) and something is still owed. */
  overdue: boolean;
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

/** `+15125550100` → `(512) 555-0100` for North American numbers; other numbers stay in E.164. */
export const formatContactPhone = (e164: string): string => {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return nanp ? `(${nanp[1]}) ${nanp[2]}-${nanp[3]}` : e164;
};

const contactOf = (location: LocationForPage): BusinessContact => {
  const a = location.address;
  const cityLine = a ? [a.city, [a.region, a.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ') : '';
  return {
    addressLines: a ? [a.line1, a.line2 ?? '', cityLine].filter(Boolean) : [],
    phone: location.contactPhone ? { display: formatContactPhone(location.contactPhone), e164: location.contactPhone } : undefined,
    email: location.contactEmail || undefined,
  };
};

/** Today's calendar date (`YYYY-MM-DD`) in a time zone. */
export const calendarDateIn = (now: Date, timeZone = 'UTC'): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);

/** `stm_01JD…XYZ89AB` → `ST-YZ89AB…`: the last eight characters of the id, easy to read out on the phone. */
export const statementNumber = (statementId: string | undefined): string | undefined => (statementId ? `ST-${statementId.slice(-8).toUpperCase()}` : undefined);

/** Everything the statement page shows, formatted for the location's currency; `now` decides "Overdue". */
export const statementView = (statement: StatementForPage, location: LocationForPage, now: Date, customer?: CustomerForPage): StatementView => {
  const money = (amountMinor: number) => formatMoney({ amountMinor, currency: location.currency });
  const accentColor = usableAccent(location.branding?.accentColor);
  const remainingMinor = Math.max(0, statement.remainingMinor ?? statement.balanceDueMinor ?? 0);
  const logoUrl = location.branding?.logoUrl;
  return {
    businessName: location.branding?.displayName || location.name,
    logoUrl: logoUrl && logoUrl.startsWith('https://') ? logoUrl : undefined,
    contact: contactOf(location),
    customerName: customer ? `${customer.firstName} ${customer.lastName}` : undefined,
    statementNumber: statement.version ? statementNumber(statement.statementId) : undefined,
    overdue: Boolean(statement.dueDate && remainingMinor > 0 && statement.dueDate < calendarDateIn(now, location.timeZone)),
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
