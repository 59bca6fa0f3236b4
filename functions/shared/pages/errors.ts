import type { ErrorRenderer } from '../http/chain';
import { htmlResult, newNonce } from './html';
import { renderBadRequest, renderNotFound, renderServerError } from './statement';

/** A bad token or code is answered exactly like an unknown one: the plain 404 page. */
const isAboutTheLink = (fields: Array<{ path: string }> | undefined) => (fields ?? []).some((f) => f.path.startsWith('path.'));

/** Errors on customer pages are HTML pages with the page security headers, never JSON. */
export const pageErrorRenderer: ErrorRenderer = (view) => {
  const nonce = newNonce();
  if (view.statusCode >= 500) return htmlResult(500, renderServerError(nonce), nonce);
  if (view.statusCode === 404 || isAboutTheLink(view.fields)) return htmlResult(404, renderNotFound(nonce), nonce);
  return htmlResult(view.statusCode, renderBadRequest(nonce), nonce);
};
