import { payStatementRoute, tinyLinkRoute, statementAttachmentRoute, statementPageRoute } from '../shared/manifest';

/** Fills a route's `{name}` path parameters, encoded. */
const routeUrl = (baseUrl: string, path: string, params: Record<string, string>): string =>
  baseUrl + path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));

/** The customer's statement page: `/s/{token}`. */
export const statementPageUrl = (baseUrl: string, token: string): string => routeUrl(baseUrl, statementPageRoute.path, { token });

export interface StatementLinks {
  statementUrl: string;
  tinyUrl: string;
}

/**
 * The two links a customer is sent, built in one place for the API's headers, the notifications
 * and the pages: the statement page and its tiny link (`/t/{code}`). Both stay the same across
 * replacements, so the customer's link always shows the newest statement.
 */
export const statementLinks = (baseUrl: string, statement: { linkToken: string; tinyCode: string }): StatementLinks => ({
  statementUrl: statementPageUrl(baseUrl, statement.linkToken),
  tinyUrl: routeUrl(baseUrl, tinyLinkRoute.path, { code: statement.tinyCode }),
});

export interface PageLinks {
  statementUrl: string;
  /** The printable receipt of one payment (`download` adds `Content-Disposition: attachment`). */
  receiptUrl: (paymentId: string, download?: boolean) => string;
  payFormUrl: string;
  payUrl: string;
  attachmentUrl: string;
}

/** The statement page's own links: the page, its pay form, the form's target and the PDF. */
export const pageLinks = (baseUrl: string, token: string): PageLinks => {
  const params = { token };
  const statementUrl = statementPageUrl(baseUrl, token);
  return {
    statementUrl,
    receiptUrl: (paymentId, download) => `${statementUrl}?receipt=${encodeURIComponent(paymentId)}${download ? '&download=1' : ''}`,
    payFormUrl: `${statementUrl}?pay=1#pay-form`,
    payUrl: routeUrl(baseUrl, payStatementRoute.path, params),
    attachmentUrl: routeUrl(baseUrl, statementAttachmentRoute.path, params),
  };
};
