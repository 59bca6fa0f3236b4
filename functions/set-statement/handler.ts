import { input } from './schema';
import { attachmentFileName, toStatementView } from '../domain/statement';
import { created, httpHandler, ok } from '../shared/http/chain';
import { idempotentRoute } from '../shared/adapters/idempotency';
import { setStatementRoute } from '../shared/manifest';
import { statements } from '../shared/repos';
import { attachments } from '../shared/adapters/attachments';
import { NAVIGABLE_URL_HEADER, navigableUrlHeaders } from '../shared/http/statement-links';
import { logger } from '../shared/adapters/powertools';
import { emitMetric } from '../shared/adapters/metrics';

export const handler = httpHandler(
  async ({ body, headers }, { caller, baseUrl }) => {
    const { customerId, attachment, balanceDue, ...content } = body;
    const key = attachment ? await attachments.put(caller.locationId, customerId, attachment.content) : undefined;
    const stored = key && attachment ? { key, fileName: attachmentFileName(attachment, content.billingDate), sizeBytes: attachment.content.length } : null;
    const result = await statements()
      .set(caller.locationId, customerId, { ...content, balanceDueMinor: balanceDue, attachment: stored })
      .catch(async (error: unknown) => {
        // Nothing may be left behind by a rejected request: drop the PDF we just stored.
        if (key) await attachments.remove(key);
        throw error;
      });
    if (result.replacedAttachmentKey) {
      await attachments.remove(result.replacedAttachmentKey).catch((error) => logger.warn('old attachment not removed', { error }));
    }
    emitMetric('statementSet');
    const respond = result.created ? created : ok;
    return respond(toStatementView(result.statement), navigableUrlHeaders(headers[NAVIGABLE_URL_HEADER], baseUrl, result.statement));
  },
  { route: setStatementRoute, input, idempotent: idempotentRoute },
);
