/**
 * Where the ArchiveUploader puts archive files when an S3-compatible bucket is configured
 * (AWS S3, MinIO, Cloudflare R2, Ceph, …), through the official SDK.
 *
 * Each object is the local `.ndjson.gz` file byte for byte: `Content-Type: application/gzip`
 * and no `Content-Encoding`, so every tool (aws s3 cp, a browser, Athena, DuckDB) gets the
 * gzip file its name promises instead of some HTTP clients silently decompressing it.
 * Integrity: the request carries `Content-MD5`, which S3 checks against the bytes it
 * received (and refuses with BadDigest); only a 200 counts as stored.
 *
 * The SDK's default "flexible checksums" (CRC32 headers or aws-chunked trailers on every
 * upload, checksum mode on every download) are turned down to WHEN_REQUIRED: several
 * S3-compatible servers reject or mis-sign them, and Content-MD5 already protects the body.
 *
 * Privacy deletions (privacy-archive.ts) read objects back and rewrite them without the
 * subject's events. The replacement is one PutObject to the same key: S3 swaps the whole
 * object at once (readers get the old or the new bytes, never a mix, and strongly
 * consistent reads see the new one as soon as it is confirmed), and it carries `If-Match`
 * with the ETag that was read, so two deletions rewriting one object at the same time
 * cannot undo each other: the second gets 412 and reads the object again. An object left
 * with no events is deleted. In a bucket with versioning on, S3 keeps the earlier versions
 * (and a delete only adds a delete marker), so they are deleted by version ID afterwards
 * (`purgeOlderVersions`; it needs s3:ListBucketVersions and s3:DeleteObjectVersion, and
 * says so when it may not).
 */
import { createHash } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { TArchiveS3Settings } from '../env.ts';

export interface TArchiveObject {
  /** The key without the store's prefix, as the archive folder names it: `<destination>/<day>/<file>`. */
  relativePath: string;
  etag: string;
}

export interface TArchiveStore {
  /** For logs, e.g. `s3://bucket/archive/`. */
  readonly description: string;
  /** Stores `body` under `<prefix><relativePath>`; resolves only when the store confirmed it. */
  put(input: { relativePath: string; body: Buffer; signal: AbortSignal }): Promise<void>;
  /** One page of objects under the prefix, in key order, after `after` (a relativePath); `next` is null on the last page. */
  list(input: { after?: string; signal: AbortSignal }): Promise<{ objects: TArchiveObject[]; next: string | null }>;
  /** The object's bytes and ETag, or null when it is gone. */
  get(input: { relativePath: string; signal: AbortSignal }): Promise<{ body: Buffer; etag: string } | null>;
  /** Replaces the object if it still has `ifMatch` as its ETag; 'changed' when it was changed or removed meanwhile. */
  replace(input: { relativePath: string; body: Buffer; ifMatch: string; signal: AbortSignal }): Promise<'replaced' | 'changed'>;
  /** Deletes the object (absent is fine). */
  remove(input: { relativePath: string; signal: AbortSignal }): Promise<void>;
  /**
   * Deletes the object's noncurrent versions (and, when `isRemoved`, every version and delete
   * marker left of it), for versioned buckets. Resolves with how many it deleted (0 in a
   * bucket without versioning), or null when the store may not list or delete versions.
   */
  purgeOlderVersions(input: { relativePath: string; isRemoved: boolean; signal: AbortSignal }): Promise<number | null>;
  close(): void;
}

const statusOf = (error: unknown): number | undefined => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** One request may take this long; the SDK retries it (3 attempts in all) before giving up. */
const CONNECT_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 30_000;

export function createS3ArchiveStore(settings: TArchiveS3Settings): TArchiveStore {
  const client = new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    // Unset: the SDK's default chain (AWS_* variables, shared config, SSO, container or instance role).
    credentials: settings.accessKeyId && settings.secretAccessKey ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } : undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
  });
  return {
    description: `s3://${settings.bucket}/${settings.prefix}${settings.endpoint ? ` at ${settings.endpoint}` : ''}`,
    async put({ relativePath, body, signal }) {
      const command = new PutObjectCommand({
        Bucket: settings.bucket,
        Key: `${settings.prefix}${relativePath}`,
        Body: body,
        ContentLength: body.length,
        ContentType: 'application/gzip',
        ContentMD5: createHash('md5').update(body).digest('base64'),
      });
      await client.send(command, { abortSignal: signal });
    },
    async list({ after, signal }) {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: settings.bucket, Prefix: settings.prefix, StartAfter: after === undefined ? undefined : `${settings.prefix}${after}`, MaxKeys: 1000 }),
        { abortSignal: signal },
      );
      const objects = (page.Contents ?? [])
        .filter((object) => object.Key?.startsWith(settings.prefix))
        .map((object) => ({ relativePath: object.Key!.slice(settings.prefix.length), etag: object.ETag ?? '' }));
      return { objects, next: page.IsTruncated && objects.length > 0 ? objects[objects.length - 1].relativePath : null };
    },
    async get({ relativePath, signal }) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: settings.bucket, Key: `${settings.prefix}${relativePath}` }), { abortSignal: signal });
        const body = Buffer.from(await object.Body!.transformToByteArray());
        return { body, etag: object.ETag ?? '' };
      } catch (error) {
        if (statusOf(error) === 404) return null;
        throw error;
      }
    },
    async replace({ relativePath, body, ifMatch, signal }) {
      const put = (condition: string | undefined) =>
        client.send(
          new PutObjectCommand({
            Bucket: settings.bucket,
            Key: `${settings.prefix}${relativePath}`,
            Body: body,
            ContentLength: body.length,
            ContentType: 'application/gzip',
            ContentMD5: createHash('md5').update(body).digest('base64'),
            IfMatch: condition,
          }),
          { abortSignal: signal },
        );
      try {
        await put(ifMatch);
        return 'replaced';
      } catch (error) {
        // 412: someone else changed it; 404: it is gone (S3 answers a conditional write on a missing key so).
        if (statusOf(error) === 412 || statusOf(error) === 404) return 'changed';
        // A server without conditional writes: replace it plainly (concurrent deletions of one object are then not protected).
        if (statusOf(error) === 501) {
          await put(undefined);
          return 'replaced';
        }
        throw error;
      }
    },
    async remove({ relativePath, signal }) {
      await client.send(new DeleteObjectCommand({ Bucket: settings.bucket, Key: `${settings.prefix}${relativePath}` }), { abortSignal: signal });
    },
    async purgeOlderVersions({ relativePath, isRemoved, signal }) {
      const key = `${settings.prefix}${relativePath}`;
      let deleted = 0;
      try {
        let marker: { KeyMarker?: string; VersionIdMarker?: string } = {};
        for (;;) {
          const page = await client.send(new ListObjectVersionsCommand({ Bucket: settings.bucket, Prefix: key, ...marker }), { abortSignal: signal });
          const entries = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].filter((entry) => entry.Key === key && (isRemoved || !entry.IsLatest));
          for (const entry of entries) {
            // "null" is the version of an object written before versioning was turned on; it is deleted by that name.
            await client.send(new DeleteObjectCommand({ Bucket: settings.bucket, Key: key, VersionId: entry.VersionId ?? 'null' }), { abortSignal: signal });
            deleted++;
          }
          if (!page.IsTruncated) return deleted;
          marker = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
        }
      } catch (error) {
        if (statusOf(error) === 403 || statusOf(error) === 501) return deleted > 0 ? deleted : null;
        throw error;
      }
    },
    close() {
      client.destroy();
    },
  };
}
