/**
 * For archive tests: a local S3-compatible server (path-style, one bucket) that answers
 * PutObject (with `If-Match` conditional writes: 412 PreconditionFailed when the ETag
 * differs, 404 when the key is gone), GetObject, HeadObject, DeleteObject and
 * ListObjectsV2 (prefix, start-after, continuation, max-keys, capped at `pageSize` so tests
 * can see paging), and, with `versioned: true`, bucket versioning: an overwrite or a delete
 * keeps the earlier version (a delete adds a delete marker), ListObjectVersions lists them
 * and DeleteObject with `versionId` removes one. It answers the way S3 does, including its checks: every request
 * must carry a valid SigV4 signature, recomputed here with the independent `aws4` package
 * (a wrong secret or a tampered header gets 403 SignatureDoesNotMatch), a signed payload
 * hash must match the body (XAmzContentSHA256Mismatch) and a Content-MD5 must match it too
 * (BadDigest). Faults on demand: answer with an error status, hang, or stop listening.
 */
import { createHash, randomUUID } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import aws4 from 'aws4';

export interface TStoredObject {
  body: Buffer;
  headers: IncomingHttpHeaders;
}

export interface TTestS3Server {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Key → the stored object (its body and the headers of the PUT that stored it). */
  objects: Map<string, TStoredObject>;
  /** Requests that arrived, answered or not. */
  received: number;
  /** Every PutObject that reached the server, with the status it got. */
  puts: Array<{ key: string; status: number }>;
  /** Runs when a valid PutObject arrived, before the object is stored and answered. */
  onPut: ((key: string) => void) | null;
  /** Runs after a GetObject was answered (a test can change the object "meanwhile"). */
  onGet: ((key: string) => void) | null;
  /** Every request as `METHOD key-or-?list`, in order. */
  log: string[];
  /** With versioning: each key's earlier versions and delete markers, oldest first (the current object is in `objects`). */
  history: Map<string, Array<{ versionId: string; body: Buffer | null }>>;
  /** Answer every request with this S3 error status (500 → InternalError), or null for normal service. */
  failWith(status: number | null): void;
  /** Accept requests and never answer them. */
  hang(isHanging: boolean): void;
  /** Stop listening (connections are refused) and start again on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

const CODES: Record<number, string> = { 500: 'InternalError', 503: 'SlowDown', 403: 'AccessDenied', 404: 'NoSuchKey' };
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

const etagOf = (body: Buffer) => `"${createHash('md5').update(body).digest('hex')}"`;
const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export async function startTestS3Server(options: { bucket?: string; region?: string; pageSize?: number; versioned?: boolean } = {}): Promise<TTestS3Server> {
  let versionCounter = 0;
  const currentVersion = new Map<string, string>();
  /** Keeps what an overwrite or a delete replaces, in a versioned bucket. */
  const keepHistory = (key: string, next: 'object' | 'deleteMarker') => {
    if (!options.versioned) return;
    const entries = server.history.get(key) ?? [];
    const current = server.objects.get(key);
    if (current) entries.push({ versionId: currentVersion.get(key) ?? 'null', body: current.body });
    if (next === 'deleteMarker') entries.push({ versionId: `v${++versionCounter}`, body: null });
    server.history.set(key, entries);
  };
  const bucket = options.bucket ?? 'switchyard-archive';
  const region = options.region ?? 'us-east-1';
  const accessKeyId = 'AKIDSWITCHYARDTEST';
  const secretAccessKey = 'switchyard-test-secret-not-for-production';
  let failure: number | null = null;
  let isHanging = false;

  const handle = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => {
    const fail = (status: number, code: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': randomUUID() });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
    };
    if (isHanging) return;
    if (failure !== null) return fail(failure, CODES[failure] ?? 'InternalError', 'failure injected by the test');
    const authError = verifySignature(req, body, { accessKeyId, secretAccessKey, region });
    if (authError) return fail(authError.status, authError.code, authError.message);

    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, bucketName, ...keyParts] = url.pathname.split('/');
    const key = decodeURIComponent(keyParts.join('/'));
    if (bucketName !== bucket) return fail(404, 'NoSuchBucket', 'The specified bucket does not exist');
    server.log.push(`${req.method} ${key || '?list'}`);
    if (!key) {
      if (req.method === 'GET' && url.searchParams.has('versions')) return listVersions(url.searchParams, res);
      if (req.method !== 'GET' || url.searchParams.get('list-type') !== '2') return fail(501, 'NotImplemented', 'only ListObjectsV2 and ListObjectVersions are implemented on the bucket');
      return listObjects(url.searchParams, res);
    }

    if (req.method === 'PUT') {
      const md5 = req.headers['content-md5'];
      if (md5 !== undefined && md5 !== createHash('md5').update(body).digest('base64')) {
        server.puts.push({ key, status: 400 });
        return fail(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
      }
      const ifMatch = req.headers['if-match'];
      if (ifMatch !== undefined) {
        const current = server.objects.get(key);
        if (!current) {
          server.puts.push({ key, status: 404 });
          return fail(404, 'NoSuchKey', 'The specified key does not exist.');
        }
        if (etagOf(current.body) !== ifMatch) {
          server.puts.push({ key, status: 412 });
          return fail(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
        }
      }
      server.onPut?.(key);
      keepHistory(key, 'object');
      if (options.versioned) currentVersion.set(key, `v${++versionCounter}`);
      server.objects.set(key, { body, headers: req.headers });
      server.puts.push({ key, status: 200 });
      res.writeHead(200, { etag: etagOf(body) });
      return res.end();
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const object = server.objects.get(key);
      if (!object) return fail(404, 'NoSuchKey', 'The specified key does not exist.');
      res.writeHead(200, {
        'content-type': object.headers['content-type'] ?? 'binary/octet-stream',
        'content-length': object.body.length,
        etag: etagOf(object.body),
      });
      res.end(req.method === 'GET' ? object.body : undefined);
      if (req.method === 'GET') server.onGet?.(key);
      return;
    }
    if (req.method === 'DELETE') {
      const versionId = url.searchParams.get('versionId');
      if (versionId === null) {
        keepHistory(key, 'deleteMarker');
        server.objects.delete(key);
      } else if ((currentVersion.get(key) ?? 'null') === versionId && server.objects.has(key)) {
        server.objects.delete(key);
      } else {
        server.history.set(key, (server.history.get(key) ?? []).filter((entry) => entry.versionId !== versionId));
      }
      res.writeHead(204);
      return res.end();
    }
    return fail(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  };

  const listObjects = (query: URLSearchParams, res: http.ServerResponse) => {
    const prefix = query.get('prefix') ?? '';
    const after = query.get('continuation-token') ?? query.get('start-after') ?? '';
    const max = Math.min(Number(query.get('max-keys') ?? 1000), options.pageSize ?? 1000);
    const keys = [...server.objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
    const page = keys.slice(0, max);
    const isTruncated = keys.length > page.length;
    const contents = page
      .map((k) => `<Contents><Key>${xml(k)}</Key><LastModified>2026-12-02T00:00:00.000Z</LastModified><ETag>${xml(etagOf(server.objects.get(k)!.body))}</ETag><Size>${server.objects.get(k)!.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`)
      .join('');
    const next = isTruncated ? `<NextContinuationToken>${xml(page[page.length - 1])}</NextContinuationToken>` : '';
    res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': randomUUID() });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${isTruncated}</IsTruncated>${contents}${next}</ListBucketResult>`,
    );
  };

  /** ListObjectVersions (one page: these tests keep few versions): current objects, earlier versions, delete markers. */
  const listVersions = (query: URLSearchParams, res: http.ServerResponse) => {
    const prefix = query.get('prefix') ?? '';
    const keys = [...new Set([...server.objects.keys(), ...server.history.keys()])].filter((k) => k.startsWith(prefix)).sort();
    const version = (k: string, versionId: string, body: Buffer, isLatest: boolean) =>
      `<Version><Key>${xml(k)}</Key><VersionId>${versionId}</VersionId><IsLatest>${isLatest}</IsLatest><LastModified>2026-12-02T00:00:00.000Z</LastModified><ETag>${xml(etagOf(body))}</ETag><Size>${body.length}</Size><StorageClass>STANDARD</StorageClass></Version>`;
    const parts: string[] = [];
    for (const k of keys) {
      const current = server.objects.get(k);
      if (current) parts.push(version(k, currentVersion.get(k) ?? 'null', current.body, true));
      const history = server.history.get(k) ?? [];
      history.forEach((entry, i) => {
        const isLatest = !current && i === history.length - 1;
        parts.push(entry.body ? version(k, entry.versionId, entry.body, isLatest) : `<DeleteMarker><Key>${xml(k)}</Key><VersionId>${entry.versionId}</VersionId><IsLatest>${isLatest}</IsLatest><LastModified>2026-12-02T00:00:00.000Z</LastModified></DeleteMarker>`);
      });
    }
    res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': randomUUID() });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${xml(prefix)}</Prefix><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${parts.join('')}</ListVersionsResult>`);
  };

  const listener = http.createServer((req, res) => {
    server.received++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, Buffer.concat(chunks), res));
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as AddressInfo;

  const server: TTestS3Server = {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    objects: new Map(),
    received: 0,
    puts: [],
    onPut: null,
    onGet: null,
    log: [],
    history: new Map(),
    failWith: (status) => void (failure = status),
    hang: (value) => void (isHanging = value),
    async down() {
      const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
      listener.closeAllConnections();
      await closed;
    },
    up: () => new Promise<void>((resolve) => listener.listen(port, '127.0.0.1', resolve)),
    async close() {
      if (listener.listening) await server.down();
    },
  };
  return server;
}

/** S3's signature check, recomputed with aws4 over exactly the headers the client signed. */
function verifySignature(
  req: http.IncomingMessage,
  body: Buffer,
  expected: { accessKeyId: string; secretAccessKey: string; region: string },
): { status: number; code: string; message: string } | null {
  const match = AUTHORIZATION.exec(req.headers.authorization ?? '');
  if (!match) return { status: 403, code: 'AccessDenied', message: 'missing or malformed SigV4 Authorization header' };
  const [, accessKeyId, day, region, signedList, signature] = match;
  if (accessKeyId !== expected.accessKeyId) return { status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
  if (region !== expected.region) return { status: 400, code: 'AuthorizationHeaderMalformed', message: `the region '${region}' is wrong; expecting '${expected.region}'` };
  const signed = signedList.split(';');
  for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
    if (!signed.includes(required)) return { status: 403, code: 'AccessDenied', message: `${required} must be signed` };
  }
  const amzDate = String(req.headers['x-amz-date']);
  const at = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (!amzDate.startsWith(day) || !(Math.abs(Date.now() - at) < 15 * 60_000)) return { status: 403, code: 'RequestTimeTooSkewed', message: 'The difference between the request time and the current time is too large.' };
  const payloadHash = String(req.headers['x-amz-content-sha256']);
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== createHash('sha256').update(body).digest('hex')) {
    return { status: 400, code: 'XAmzContentSHA256Mismatch', message: "The provided 'x-amz-content-sha256' header does not match what was computed." };
  }
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = req.headers[name];
    if (value === undefined) return { status: 403, code: 'AccessDenied', message: `signed header ${name} is missing` };
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // aws4 leaves a few headers (range, expect…) out unless told otherwise; sign exactly the client's list.
  const request: aws4.Request & { extraHeadersToInclude: Record<string, boolean> } = {
    method: req.method,
    host: headers.host,
    path: req.url,
    service: 's3',
    region,
    headers,
    extraHeadersToInclude: Object.fromEntries(signed.map((name) => [name, true])),
  };
  const recomputed = aws4.sign(request, { accessKeyId, secretAccessKey: expected.secretAccessKey });
  const recomputedSignature = /Signature=([0-9a-f]{64})$/.exec(String(recomputed.headers?.Authorization))?.[1];
  if (recomputedSignature !== signature) {
    return { status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' };
  }
  return null;
}
