import { statementLinks } from '../../domain/links';
import type { Statement } from '../../domain/statement';

/**
 * The headers that carry the customer's links when the merchant asked for them with
 * `Location-As-Navigable-Url: true`: the statement link in `Location`, the tiny link as a shortlink.
 */
export const navigableUrlHeaders = (wanted: boolean | undefined, baseUrl: string, statement: Statement): Record<string, string> => {
  if (!wanted) return {};
  const { statementUrl, tinyUrl } = statementLinks(baseUrl, statement);
  return { Location: statementUrl, Link: `<${tinyUrl}>; rel="shortlink"` };
};
