import { input } from './schema';
import { NotFoundError } from '../domain/errors';
import { httpHandler } from '../shared/http/chain';
import { tinyLinkRoute } from '../shared/manifest';
import { links } from '../shared/repos';
import { pageErrorRenderer } from '../shared/pages/errors';
import { statementPageUrl } from '../domain/links';
import { redirectResult } from '../shared/pages/html';

/** The tiny link from the text message: a redirect to the customer's statement link. */
export const handler = httpHandler(
  async ({ path }, { baseUrl }) => {
    const token = await links().resolveTinyCode(path.code);
    if (!token) throw new NotFoundError('Statement link');
    return redirectResult(statementPageUrl(baseUrl, token));
  },
  { route: tinyLinkRoute, input, renderError: pageErrorRenderer },
);
