import * as z from './zod';
import { defineSchema, transformIssue } from './zod';
import { MajorUnitsString, MinorUnits, parseMajorUnits, toMajorString } from './money';
import { CustomerId } from './customer';

const PDF_MAGIC = Buffer.from('%PDF-');
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** 4 MB decoded is at most this many base64 characters. */
const MAX_ATTACHMENT_BYTES = 4 * 1024 * 1024;
const MAX_BASE64_CHARS = Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4;

const isCalendarDate = (value: string) => {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
};

export const CalendarDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date as YYYY-MM-DD.'), z.refine(isCalendarDate, 'Not a calendar date.'));

/** Major units with at most two decimals, as a JSON number (49.95) or string ("49.95"); stored as cents. */
export const MajorUnits = z.pipe(
  z.union([z.number(), z.string()]),
  z.transform((value: number | string, ctx) => parseMajorUnits(value) ?? transformIssue(ctx, 'Use a non-negative amount with at most 2 decimals, e.g. 49.95.')),
);

/** A PDF sent as a raw base64 string: decoded, size-checked and recognised by its magic bytes. */
const PdfContent = z.pipe(
  z.string().check(z.maxLength(MAX_BASE64_CHARS + 8, 'The attachment is larger than 4 MB.')),
  z.transform((value: string, ctx) => {
    const compact = value.replace(/\s+/g, '');
    if (compact.length % 4 !== 0 || !BASE64.test(compact)) return transformIssue(ctx, 'Send the PDF as a raw base64 string.');
    const bytes = Buffer.from(compact, 'base64');
    if (bytes.length > MAX_ATTACHMENT_BYTES) return transformIssue(ctx, 'The attachment is larger than 4 MB.');
    if (!bytes.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) return transformIssue(ctx, 'The attachment is not a PDF.');
    return bytes;
  }),
);

/**
 * The guide's form, the raw base64 string (the file name is then made from the billing date, see
 * `attachmentFileName`), or `{ fileName, content }` to name the file.
 */
export const PdfAttachment = z.union([
  z.pipe(PdfContent, z.transform((content) => ({ content, fileName: undefined as string | undefined }))),
  z.strictObject({
    // eslint-disable-next-line no-control-regex -- control characters are what this rejects
    fileName: z.string().check(z.trim(), z.minLength(1), z.maxLength(100), z.regex(/^[^/\\\x00-\x1f]+$/, 'Use a plain file name without slashes.')),
    content: PdfContent,
  }),
]).check(z.meta({ description: 'The PDF (at most 4 MB) as a raw base64 string, named `statement-<billingDate>.pdf`; or `{ fileName, content }` to name it.' }));

/** The name a PDF sent without one is shown and downloaded under, e.g. `statement-2020-02-24.pdf`. */
export const attachmentFileName = (attachment: { fileName?: string }, billingDate: string): string => attachment.fileName ?? `statement-${billingDate}.pdf`;

export const SetStatementInput = z
  .strictObject({
    customerId: CustomerId,
    balanceDue: MajorUnits,
    billingDate: CalendarDate,
    dueDate: z.nullish(CalendarDate),
    memo: z.nullish(z.string().check(z.trim(), z.maxLength(500))),
    attachment: z.nullish(PdfAttachment),
  })
  .check(z.refine((s) => !s.dueDate || s.dueDate >= s.billingDate, { path: ['dueDate'], message: 'The due date cannot be before the billing date.' }));
export type SetStatementInput = z.infer<typeof SetStatementInput>;

export interface StoredAttachment {
  key: string;
  fileName: string;
  sizeBytes: number;
}

/** A customer's statement as stored: amounts in cents. Version 0 means no statement was sent yet. */
export interface Statement {
  statementId: string;
  customerId: string;
  locationId: string;
  version: number;
  balanceDueMinor: number;
  paidMinor: number;
  remainingMinor: number;
  billingDate: string;
  dueDate?: string;
  memo?: string;
  attachment?: StoredAttachment;
  linkToken: string;
  tinyCode: string;
  statementSetAt: string;
}

/**
 * What the merchant API shows of a statement (`setStatement`, `getStatement`): amounts as decimals
 * and as cents, no link tokens. Named apart from the page's `StatementView` (domain/statement-view.ts).
 */
export const MerchantStatementView = /* @__PURE__ */ defineSchema(() =>
  z
    .strictObject({
      id: z.string(),
      customerId: CustomerId,
      version: z.int().check(z.minimum(1), z.meta({ description: 'Grows by one each time the statement is replaced.' })),
      balanceDue: MajorUnitsString,
      balanceDueMinor: MinorUnits,
      amountPaid: MajorUnitsString,
      amountPaidMinor: MinorUnits,
      amountRemaining: MajorUnitsString,
      amountRemainingMinor: MinorUnits,
      billingDate: z.iso.date(),
      dueDate: z.optional(z.iso.date()),
      memo: z.optional(z.string()),
      attachment: z.optional(z.strictObject({ fileName: z.string(), sizeBytes: z.int() })),
      updatedAt: z.iso.datetime(),
    })
    .check(z.meta({ id: 'Statement' })),
);
export type MerchantStatementView = z.infer<typeof MerchantStatementView>;

/** What the merchant API shows of a statement; its type is `MerchantStatementView`'s, so the two cannot drift. */
export const toStatementView = (statement: Statement): MerchantStatementView => ({
  id: statement.statementId,
  customerId: statement.customerId,
  version: statement.version,
  balanceDue: toMajorString(statement.balanceDueMinor),
  balanceDueMinor: statement.balanceDueMinor,
  amountPaid: toMajorString(statement.paidMinor),
  amountPaidMinor: statement.paidMinor,
  amountRemaining: toMajorString(statement.remainingMinor),
  amountRemainingMinor: statement.remainingMinor,
  billingDate: statement.billingDate,
  ...(statement.dueDate ? { dueDate: statement.dueDate } : {}),
  ...(statement.memo ? { memo: statement.memo } : {}),
  ...(statement.attachment ? { attachment: { fileName: statement.attachment.fileName, sizeBytes: statement.attachment.sizeBytes } } : {}),
  updatedAt: statement.statementSetAt,
});
