import { formatPageDate } from './statement-view';
import { formatMoney } from './money';

/**
 * Texts of the customer notifications. Pure: values in, strings out. No card data is ever passed in,
 * so none can come out.
 */

export interface Sender {
  name: string;
  branding?: { displayName?: string | null; accentColor?: string | null } | null;
  currency: string;
}

export interface StatementMessageInput {
  location: Sender;
  amountDueMinor: number;
  billingDate: string;
  dueDate?: string;
  statementUrl: string;
  tinyUrl: string;
}

export interface ReceiptMessageInput {
  location: Sender;
  amountMinor: number;
  remainingAfterMinor: number;
  completedAt: string;
  statementUrl: string;
  tinyUrl: string;
}

export interface RefundMessageInput {
  location: Sender;
  amountMinor: number;
  refundedAt: string;
  statementUrl: string;
  tinyUrl: string;
}

export interface ReminderMessageInput {
  location: Sender;
  amountDueMinor: number;
  dueDate: string;
  /** Days from the due date: negative before it, positive (overdue) after. */
  daysFromDue: number;
  statementUrl: string;
  tinyUrl: string;
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

const OPT_OUT = 'Reply STOP to opt out';
const SEGMENT_GSM = 160;
const SEGMENT_UCS2 = 70;
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

/** GSM-7 length of a text (extension characters take two), or `undefined` when it needs UCS-2. */
const gsmLength = (text: string): number | undefined => {
  let length = 0;
  for (const char of text) {
    if (GSM_BASIC.includes(char)) length += 1;
    else if (GSM_EXTENDED.includes(char)) length += 2;
    else return undefined;
  }
  return length;
};

/** Whether a text fits one SMS segment: 160 GSM-7 characters, or 70 UCS-2 ones. */
export const fitsOneSegment = (text: string): boolean => {
  const gsm = gsmLength(text);
  return gsm === undefined ? [...text].length <= SEGMENT_UCS2 : gsm <= SEGMENT_GSM;
};

export const senderName = (location: Sender): string => location.branding?.displayName?.trim() || location.name;

/**
 * Builds the SMS from its parts, shortening the sender's name (never the amount, link or opt-out
 * hint) until it fits one segment, where it can.
 */
const fitSms = (name: string, compose: (name: string) => string): string => {
  const chars = [...name];
  // A trailing '.' marks the cut: '…' is not in the GSM-7 alphabet and would halve the segment.
  for (let keep = chars.length; keep >= 8; keep -= 1) {
    const text = compose(keep === chars.length ? name : `${chars.slice(0, keep - 1).join('').trimEnd()}.`);
    if (fitsOneSegment(text)) return text;
  }
  return compose(name);
};

const money = (amountMinor: number, currency: string) => formatMoney({ amountMinor, currency });

/** `2026-11-24` → `11/24/2026`, as the guide and the statement page write dates (no time-zone shift). */
export const formatDate = (isoDate: string): string => formatPageDate(isoDate) ?? isoDate;

export const statementSms = (input: StatementMessageInput): string =>
  fitSms(senderName(input.location), (name) => `${name}: new statement, ${money(input.amountDueMinor, input.location.currency)} due. View & pay: ${input.tinyUrl} ${OPT_OUT}`);

export const receiptSms = (input: ReceiptMessageInput): string =>
  fitSms(
    senderName(input.location),
    (name) =>
      `${name}: payment of ${money(input.amountMinor, input.location.currency)} received, thank you. Balance ${money(input.remainingAfterMinor, input.location.currency)}. ${input.tinyUrl} ${OPT_OUT}`,
  );

export const refundSms = (input: RefundMessageInput): string =>
  fitSms(senderName(input.location), (name) => `${name}: refund of ${money(input.amountMinor, input.location.currency)} to your card. It can take 5-10 days to appear. ${input.tinyUrl} ${OPT_OUT}`);

/** `Sunrise Dental: reminder, $100.00 due 12/10/2026. Pay: https://…/t/abc Reply STOP to opt out`, in one segment. */
export const reminderSms = (input: ReminderMessageInput): string => {
  const amount = money(input.amountDueMinor, input.location.currency);
  const due = formatDate(input.dueDate);
  const what = input.daysFromDue > 0 ? `${amount} was due ${due}` : `${amount} due ${due}`;
  return fitSms(senderName(input.location), (name) => `${name}: reminder, ${what}. Pay: ${input.tinyUrl} ${OPT_OUT}`);
};

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const DEFAULT_ACCENT = '#0A7C66';

/** A plain, table-free email body that renders in every client; colours only from the location's branding. */
const emailHtml = (location: Sender, heading: string, rows: Array<[string, string]>, button: { label: string; url: string }, footer: string) => {
  const accent = location.branding?.accentColor || DEFAULT_ACCENT;
  const name = escapeHtml(senderName(location));
  const lines = rows
    .map(([label, value]) => `<p style="margin:4px 0"><span style="color:#555">${escapeHtml(label)}:</span> <strong>${escapeHtml(value)}</strong></p>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(heading)}</title></head>
<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;color:#222;background:#f6f6f6">
<div style="max-width:480px;margin:0 auto;background:#fff;border-top:6px solid ${accent};padding:24px">
<h1 style="font-size:20px;margin:0 0 16px;color:${accent}">${name}</h1>
<h2 style="font-size:18px;margin:0 0 12px">${escapeHtml(heading)}</h2>
${lines}
<p style="margin:24px 0"><a href="${escapeHtml(button.url)}" style="display:inline-block;background:${accent};color:#fff;text-decoration:none;padding:12px 20px;border-radius:4px;font-weight:bold">${escapeHtml(button.label)}</a></p>
<p style="color:#555;font-size:13px">${escapeHtml(footer)}</p>
</div></body></html>`;
};

export const statementEmail = (input: StatementMessageInput): EmailContent => {
  const name = senderName(input.location);
  const amount = money(input.amountDueMinor, input.location.currency);
  const rows: Array<[string, string]> = [
    ['Amount due', amount],
    ['Billing date', formatDate(input.billingDate)],
    ...(input.dueDate ? ([['Due date', formatDate(input.dueDate)]] as Array<[string, string]>) : []),
  ];
  const footer = `You receive this email because you are a customer of ${name}. Thank you for your business.`;
  return {
    subject: `Your statement from ${name}: ${amount} due`,
    text: [`${name}`, '', 'Your statement is ready.', ...rows.map(([l, v]) => `${l}: ${v}`), '', `View and pay: ${input.statementUrl}`, '', footer].join('\n'),
    html: emailHtml(input.location, 'Your statement is ready', rows, { label: 'View and pay your statement', url: input.statementUrl }, footer),
  };
};

export const receiptEmail = (input: ReceiptMessageInput): EmailContent => {
  const name = senderName(input.location);
  const currency = input.location.currency;
  const rows: Array<[string, string]> = [
    ['Amount paid', money(input.amountMinor, currency)],
    ['Paid on', formatDate(input.completedAt.slice(0, 10))],
    ['Remaining balance', money(input.remainingAfterMinor, currency)],
  ];
  const footer = `Thank you for your business.`;
  return {
    subject: `Payment received by ${name}: ${money(input.amountMinor, currency)}`,
    text: [`${name}`, '', 'Thank you, we received your payment.', ...rows.map(([l, v]) => `${l}: ${v}`), '', `Your statement: ${input.statementUrl}`, '', footer].join('\n'),
    html: emailHtml(input.location, 'Thank you, we received your payment', rows, { label: 'View your statement', url: input.statementUrl }, footer),
  };
};

export const refundEmail = (input: RefundMessageInput): EmailContent => {
  const name = senderName(input.location);
  const rows: Array<[string, string]> = [
    ['Amount refunded', money(input.amountMinor, input.location.currency)],
    ['Refunded on', formatDate(input.refundedAt.slice(0, 10))],
  ];
  const footer = 'The refund goes back to the card you paid with; your bank can take 5 to 10 days to show it.';
  return {
    subject: `Refund from ${name}: ${money(input.amountMinor, input.location.currency)}`,
    text: [`${name}`, '', 'We refunded part or all of your payment.', ...rows.map(([l, v]) => `${l}: ${v}`), '', `Your statement: ${input.statementUrl}`, '', footer].join('\n'),
    html: emailHtml(input.location, 'We refunded your payment', rows, { label: 'View your statement', url: input.statementUrl }, footer),
  };
};

export const reminderEmail = (input: ReminderMessageInput): EmailContent => {
  const name = senderName(input.location);
  const amount = money(input.amountDueMinor, input.location.currency);
  const overdue = input.daysFromDue > 0;
  const heading = overdue ? 'Your payment is overdue' : 'Your payment is due soon';
  const rows: Array<[string, string]> = [
    ['Amount due', amount],
    ['Due date', formatDate(input.dueDate)],
  ];
  const footer = `You receive this reminder because you are a customer of ${name}. If you have already paid, thank you; please ignore it.`;
  return {
    subject: overdue ? `Reminder from ${name}: ${amount} was due ${formatDate(input.dueDate)}` : `Reminder from ${name}: ${amount} due ${formatDate(input.dueDate)}`,
    text: [`${name}`, '', `${heading}.`, ...rows.map(([l, v]) => `${l}: ${v}`), '', `View and pay: ${input.statementUrl}`, '', footer].join('\n'),
    html: emailHtml(input.location, heading, rows, { label: 'View and pay your statement', url: input.statementUrl }, footer),
  };
};
