import { input } from './schema';
import { NotFoundError } from '../domain/errors';
import { attachments } from '../shared/adapters/attachments';
import { httpHandler } from '../shared/http/chain';
import { statementAttachmentRoute } from '../shared/manifest';
import { openStatement } from '../shared/use-cases/open-statement';
import { pageErrorRenderer } from '../shared/pages/errors';
import { redirectResult } from '../shared/pages/html';

/** Seconds the signed PDF link works: long enough to open it, too short to pass around. */
const LINK_SECONDS = 120;

/**
 * Redirects to a short-lived signed URL of the statement's PDF; the bucket itself is private. A PDF
 * the statement names but the bucket no longer holds gets our 404 page, never S3's error document.
 */
export const handler = httpHandler(
  async ({ path }, { baseUrl }) => {
    const attachment = (await openStatement(path.token, baseUrl)).data.statement.attachment;
    if (!attachment || !(await attachments.exists(attachment.key))) throw new NotFoundError('Attachment');
    return redirectResult(await attachments.signedUrl(attachment.key, attachment.fileName, LINK_SECONDS));
  },
  { route: statementAttachmentRoute, input, renderError: pageErrorRenderer },
);
