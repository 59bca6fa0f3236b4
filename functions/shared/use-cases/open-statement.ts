import { NotFoundError } from '../../domain/errors';
import { links, type LinkTarget } from '../repos';
import type { PageContext } from '../pages/responses';

/** The customer a token opens, or the 404 page (unknown and revoked tokens look the same). */
export const openLink = async (token: string): Promise<LinkTarget> => {
  const link = await links().resolveToken(token);
  if (!link) throw new NotFoundError('Statement link');
  return link;
};

/** The statement and location behind a link, ready to render. */
export const openStatement = async (token: string, baseUrl: string, link?: LinkTarget): Promise<PageContext> => {
  const data = await links().pageData(link ?? (await openLink(token)));
  if (!data) throw new NotFoundError('Statement link');
  return { baseUrl, token, data };
};
