import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NotFound, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3 } from './clients/s3';
import { lazyEnv } from './env';
import { ENV } from '../manifest';
import { newId } from '../../domain/ids';

const bucket = lazyEnv(ENV.attachmentsBucket);

/** PDF attachments live in S3, never in the table; the statement item keeps only the object key. */
export const attachments = {
  async put(locationId: string, customerId: string, pdf: Buffer): Promise<string> {
    const key = `locations/${locationId}/customers/${customerId}/${newId('stm')}.pdf`;
    await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: pdf, ContentType: 'application/pdf' }));
    return key;
  },

  async remove(key: string): Promise<void> {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket(), Key: key }));
  },

  async get(key: string): Promise<Buffer> {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
    return Buffer.from(await Body!.transformToByteArray());
  },

  /**
   * Whether the object is there. A signed link to a missing one would show the customer S3's own
   * `NoSuchKey` XML; the caller answers our 404 page instead. (With `s3:ListBucket`, which the
   * function's read grant includes, S3 answers a missing key with 404 rather than 403.)
   */
  async exists(key: string): Promise<boolean> {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: key }));
      return true;
    } catch (error) {
      if (error instanceof NotFound || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw error;
    }
  },

  /** A link that works for a few minutes only; the bucket itself is private. */
  signedUrl(key: string, fileName: string, expiresInSeconds = 300): Promise<string> {
    return getSignedUrl(
      s3,
      new GetObjectCommand({
        Bucket: bucket(),
        Key: key,
        ResponseContentType: 'application/pdf',
        ResponseContentDisposition: `inline; filename="${fileName.replace(/["\\]/g, '_')}"`,
      }),
      { expiresIn: expiresInSeconds },
    );
  },
};
