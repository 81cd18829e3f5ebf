/**
 * Configuration an operator gets wrong fails at start with a message naming the variable,
 * instead of a worker that silently keeps archives on local disk only.
 */
import { describe, expect, it } from 'vitest';
import { archiveS3Settings, parseEnv } from './env.ts';

const problems = (source: Record<string, string>) => {
  try {
    parseEnv(source);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('the S3 archive settings', () => {
  it('are off without a bucket, and take their defaults with one', () => {
    expect(archiveS3Settings(parseEnv({}))).toBeNull();
    expect(archiveS3Settings(parseEnv({ SWITCHYARD_ARCHIVE_S3_BUCKET: 'acme-archive' }))).toEqual({
      bucket: 'acme-archive',
      prefix: 'archive/',
      region: 'us-east-1',
      endpoint: undefined,
      forcePathStyle: false,
      accessKeyId: undefined,
      secretAccessKey: undefined,
    });
  });

  it('read an S3-compatible server with static keys', () => {
    const settings = archiveS3Settings(
      parseEnv({
        SWITCHYARD_ARCHIVE_S3_BUCKET: 'acme-archive',
        SWITCHYARD_ARCHIVE_S3_PREFIX: 'switchyard/prod/',
        SWITCHYARD_ARCHIVE_S3_REGION: 'auto',
        SWITCHYARD_ARCHIVE_S3_ENDPOINT: 'https://minio.internal:9000',
        SWITCHYARD_ARCHIVE_S3_FORCE_PATH_STYLE: 'yes',
        SWITCHYARD_ARCHIVE_S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        SWITCHYARD_ARCHIVE_S3_SECRET_ACCESS_KEY: 'secret',
      }),
    );
    expect(settings).toEqual({ bucket: 'acme-archive', prefix: 'switchyard/prod/', region: 'auto', endpoint: 'https://minio.internal:9000', forcePathStyle: true, accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });
  });

  it.each([
    [{ SWITCHYARD_ARCHIVE_S3_BUCKET: 's3://acme-archive/switchyard' }, 'SWITCHYARD_ARCHIVE_S3_BUCKET: must be a bare bucket name'],
    [{ SWITCHYARD_ARCHIVE_S3_BUCKET: 'b', SWITCHYARD_ARCHIVE_S3_ENDPOINT: 'minio:9000' }, 'SWITCHYARD_ARCHIVE_S3_ENDPOINT: must be an http:// or https:// URL'],
    [{ SWITCHYARD_ARCHIVE_S3_BUCKET: 'b', SWITCHYARD_ARCHIVE_S3_PREFIX: 'archive' }, 'SWITCHYARD_ARCHIVE_S3_PREFIX: must end with "/"'],
    [{ SWITCHYARD_ARCHIVE_S3_BUCKET: 'b', SWITCHYARD_ARCHIVE_S3_PREFIX: '/archive/' }, 'SWITCHYARD_ARCHIVE_S3_PREFIX: must end with "/" and not start with one'],
    [{ SWITCHYARD_ARCHIVE_S3_BUCKET: 'b', SWITCHYARD_ARCHIVE_S3_ACCESS_KEY_ID: 'AKIDEXAMPLE' }, 'SWITCHYARD_ARCHIVE_S3_SECRET_ACCESS_KEY: set both'],
    [{ SWITCHYARD_ARCHIVE_S3_BUCKET: 'b', SWITCHYARD_ARCHIVE_S3_SECRET_ACCESS_KEY: 'secret' }, 'SWITCHYARD_ARCHIVE_S3_ACCESS_KEY_ID: set both'],
    [{ SWITCHYARD_ARCHIVE_S3_BUCKET: 'b', SWITCHYARD_ARCHIVE_S3_FORCE_PATH_STYLE: 'maybe' }, 'SWITCHYARD_ARCHIVE_S3_FORCE_PATH_STYLE: must be true/false'],
    [{ SWITCHYARD_ARCHIVE_S3_ENDPOINT: 'http://127.0.0.1:9000' }, 'SWITCHYARD_ARCHIVE_S3_BUCKET: required when SWITCHYARD_ARCHIVE_S3_ENDPOINT is set'],
  ])('refuse %o', (source, message) => {
    expect(problems(source)).toContain(message);
  });
});
