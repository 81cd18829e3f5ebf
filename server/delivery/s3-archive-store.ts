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
 */
import { createHash } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { TArchiveS3Settings } from '../env.ts';

export interface TArchiveStore {
  /** For logs, e.g. `s3://bucket/archive/`. */
  readonly description: string;
  /** Stores `body` under `<prefix><relativePath>`; resolves only when the store confirmed it. */
  put(input: { relativePath: string; body: Buffer; signal: AbortSignal }): Promise<void>;
  close(): void;
}

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
    close() {
      client.destroy();
    },
  };
}
