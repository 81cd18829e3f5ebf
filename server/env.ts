/**
 * The one place that reads process.env. Validated once with zod, on first use, by the web
 * server, the worker and the scripts alike; a bad value fails fast with a readable message.
 */
import path from 'node:path';
import { z } from 'zod';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
/** `1/true/yes/on` → true, `0/false/no/off` or unset → false. */
const booleanish = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
  z
    .enum(['1', 'true', 'yes', 'on', '0', 'false', 'no', 'off'], { message: 'must be true/false, 1/0, yes/no or on/off' })
    .default('false')
    .transform((value) => ['1', 'true', 'yes', 'on'].includes(value)),
);

export const ZEnv = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
    DATABASE_URL: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
        .optional(),
    ),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    SWITCHYARD_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('.data')),
    SWITCHYARD_PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
    SWITCHYARD_BOOTSTRAP_TOKEN: z.preprocess(
      emptyAsUndefined,
      z.string().min(24, 'must be at least 24 characters').optional(),
    ),
    SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS: optionalString,
    /** `id:base64key[,id:base64key…]`, the first one encrypts; all of them decrypt. */
    SWITCHYARD_ENCRYPTION_KEYS: optionalString,
    SWITCHYARD_SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
    SWITCHYARD_SIGNIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
    SWITCHYARD_SESSION_HOURS: z.coerce.number().int().min(1).default(24 * 7),
    SWITCHYARD_WORKER_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).default(5),
    /** How long a claimed job stays leased to its worker; a dead worker's jobs return after it. */
    SWITCHYARD_DELIVERY_LEASE_SECONDS: z.coerce.number().int().min(5).max(60).default(45),
    /** Behind a reverse proxy: take the client IP from the first X-Forwarded-For entry. */
    SWITCHYARD_TRUST_PROXY: booleanish,
    /** Set by `npm start` for its children: exit when the supervisor's stdin pipe closes. */
    SWITCHYARD_SUPERVISED: booleanish,
    /** Events per second each write key may send to one web process, and the burst above it. */
    SWITCHYARD_INGEST_RATE_PER_SECOND: z.coerce.number().positive().default(50_000),
    SWITCHYARD_INGEST_BURST: z.coerce.number().positive().default(100_000),
    /** Connections the tracking API's writer may hold (per web process). */
    SWITCHYARD_INGEST_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(6),
    /** Days of events kept before their partitions are dropped. */
    SWITCHYARD_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
    /** Events a privacy deletion removes per transaction (small batches keep ingest and delivery unblocked). */
    SWITCHYARD_PRIVACY_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000),
    /** Hours a messageId is remembered for deduplication. */
    SWITCHYARD_DEDUPE_HOURS: z.coerce.number().int().min(24).default(48),
    /** Archived (undelivered) events also go to this S3-compatible bucket; unset → they stay under the data directory. */
    SWITCHYARD_ARCHIVE_S3_BUCKET: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^[^/\s:]+$/, 'must be a bare bucket name (put a path into SWITCHYARD_ARCHIVE_S3_PREFIX)')
        .optional(),
    ),
    /** Start of every object key; keys are `<prefix><destinationId>/<YYYY-MM-DD>/<file>.ndjson.gz`. */
    SWITCHYARD_ARCHIVE_S3_PREFIX: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^[^/].*\/$/, 'must end with "/" and not start with one, like archive/ or switchyard/prod/')
        .default('archive/'),
    ),
    SWITCHYARD_ARCHIVE_S3_REGION: z.preprocess(emptyAsUndefined, z.string().regex(/^[\w-]+$/, 'must be a region name like us-east-1 or auto').default('us-east-1')),
    /** An S3-compatible server (MinIO, R2, Ceph…); unset → AWS S3. */
    SWITCHYARD_ARCHIVE_S3_ENDPOINT: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional()),
    /** `bucket` in the path instead of the host name (most self-hosted S3-compatible servers need it). */
    SWITCHYARD_ARCHIVE_S3_FORCE_PATH_STYLE: booleanish,
    /** Both or neither; neither → the AWS SDK's default credential chain (AWS_* variables, profiles, instance roles). */
    SWITCHYARD_ARCHIVE_S3_ACCESS_KEY_ID: optionalString,
    SWITCHYARD_ARCHIVE_S3_SECRET_ACCESS_KEY: optionalString,
    NEXTAUTH_SECRET: optionalString,
    NEXTAUTH_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  })
  .superRefine((env, ctx) => {
    if (env.SWITCHYARD_ENCRYPTION_KEYS) {
      for (const entry of env.SWITCHYARD_ENCRYPTION_KEYS.split(',')) {
        const [id, key] = entry.split(':');
        if (!id || !key || Buffer.from(key, 'base64').length !== 32) {
          ctx.addIssue({
            code: 'custom',
            path: ['SWITCHYARD_ENCRYPTION_KEYS'],
            message: 'each entry must be <id>:<32 bytes in base64>',
          });
        }
      }
    }
    if (Boolean(env.SWITCHYARD_ARCHIVE_S3_ACCESS_KEY_ID) !== Boolean(env.SWITCHYARD_ARCHIVE_S3_SECRET_ACCESS_KEY)) {
      const missing = env.SWITCHYARD_ARCHIVE_S3_ACCESS_KEY_ID ? 'SWITCHYARD_ARCHIVE_S3_SECRET_ACCESS_KEY' : 'SWITCHYARD_ARCHIVE_S3_ACCESS_KEY_ID';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'set both SWITCHYARD_ARCHIVE_S3_ACCESS_KEY_ID and SWITCHYARD_ARCHIVE_S3_SECRET_ACCESS_KEY, or neither' });
    }
    const s3Settings = { SWITCHYARD_ARCHIVE_S3_ENDPOINT: env.SWITCHYARD_ARCHIVE_S3_ENDPOINT, SWITCHYARD_ARCHIVE_S3_ACCESS_KEY_ID: env.SWITCHYARD_ARCHIVE_S3_ACCESS_KEY_ID, SWITCHYARD_ARCHIVE_S3_FORCE_PATH_STYLE: env.SWITCHYARD_ARCHIVE_S3_FORCE_PATH_STYLE || undefined };
    const stray = Object.entries(s3Settings).filter(([, value]) => value !== undefined).map(([name]) => name);
    if (!env.SWITCHYARD_ARCHIVE_S3_BUCKET && stray.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['SWITCHYARD_ARCHIVE_S3_BUCKET'], message: `required when ${stray.join(' or ')} is set (the bucket turns the S3 archive on)` });
    }
  });

export type TEnv = z.infer<typeof ZEnv>;

let cached: TEnv | undefined;

export function parseEnv(source: Record<string, string | undefined>): TEnv {
  const result = ZEnv.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** The validated configuration of this process. */
export function env(): TEnv {
  cached ??= parseEnv(process.env);
  return cached;
}

export function dataDir(): string {
  return path.resolve(env().SWITCHYARD_DATA_DIR);
}

export interface TArchiveS3Settings {
  bucket: string;
  prefix: string;
  region: string;
  endpoint: string | undefined;
  forcePathStyle: boolean;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
}

/** Where archive files are shipped, or null when they stay under the data directory only. */
export function archiveS3Settings(config: TEnv = env()): TArchiveS3Settings | null {
  if (!config.SWITCHYARD_ARCHIVE_S3_BUCKET) return null;
  return {
    bucket: config.SWITCHYARD_ARCHIVE_S3_BUCKET,
    prefix: config.SWITCHYARD_ARCHIVE_S3_PREFIX,
    region: config.SWITCHYARD_ARCHIVE_S3_REGION,
    endpoint: config.SWITCHYARD_ARCHIVE_S3_ENDPOINT,
    forcePathStyle: config.SWITCHYARD_ARCHIVE_S3_FORCE_PATH_STYLE,
    accessKeyId: config.SWITCHYARD_ARCHIVE_S3_ACCESS_KEY_ID,
    secretAccessKey: config.SWITCHYARD_ARCHIVE_S3_SECRET_ACCESS_KEY,
  };
}

/** The database URL; the supervisor sets it for its children when Postgres is embedded. */
export function databaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (npm start sets it when it embeds Postgres)');
  return url;
}

/** Base URL people use to reach this install (invite links, curl examples). */
export function publicUrl(): string {
  return (env().SWITCHYARD_PUBLIC_URL ?? env().NEXTAUTH_URL ?? `http://localhost:${env().PORT}`).replace(/\/$/, '');
}
