import { attachmentFileName, type SetStatementInput, type Statement } from '../../domain/statement';
import { statements } from '../repos';
import { attachments } from '../adapters/attachments';
import { logger } from '../adapters/powertools';
import { emitMetric } from '../adapters/metrics';

/**
 * Creates or replaces one customer's statement: the PDF (if any) goes to S3 first, then the one
 * conditional UpdateItem; a rejected write leaves no PDF behind. Used by `setStatement` and, per
 * item, by `setStatements`.
 */
export const setStatement = async (locationId: string, body: SetStatementInput): Promise<{ created: boolean; statement: Statement }> => {
  const { customerId, attachment, balanceDue, ...content } = body;
  const key = attachment ? await attachments.put(locationId, customerId, attachment.content) : undefined;
  const stored = key && attachment ? { key, fileName: attachmentFileName(attachment, content.billingDate), sizeBytes: attachment.content.length } : null;
  const result = await statements()
    .set(locationId, customerId, { ...content, balanceDueMinor: balanceDue, attachment: stored })
    .catch(async (error: unknown) => {
      // Nothing may be left behind by a rejected request: drop the PDF we just stored.
      if (key) await attachments.remove(key);
      throw error;
    });
  if (result.replacedAttachmentKey) {
    await attachments.remove(result.replacedAttachmentKey).catch((error) => logger.warn('old attachment not removed', { error }));
  }
  emitMetric('statementSet');
  return { created: result.created, statement: result.statement };
};
