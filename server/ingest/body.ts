/**
 * Reads a request body within limits: the raw bytes are capped while streaming, gzip is
 * inflated with a hard output cap (a gzip bomb is cut off after `maxBytes` of output, so
 * memory never jumps), and the result must be JSON text.
 */
import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';
import { IngestError } from './ingest-error.ts';
import { KB, LIMITS } from './limits.ts';

const JSON_TYPES = /^(application\/json|text\/plain)\b/i;
/**
 * What generic HTTP clients declare for a raw body unless told otherwise: axios (inside
 * @rudderstack/rudder-sdk-node) posts its gzipped JSON batch as form-urlencoded. Accepted
 * when the body is in fact a JSON object or array; anything else is refused by type.
 */
const CLIENT_DEFAULT_TYPES = /^(application\/x-www-form-urlencoded|application\/octet-stream)\b/i;

function readRaw(req: IncomingMessage, maxBytes: number, what: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      req.resume();
      reject(new IngestError('payload_too_large', `${what} is ${KB(declared)}; the limit is ${KB(maxBytes)}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(new IngestError('payload_too_large', `${what} exceeds the limit of ${KB(maxBytes)}`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

function inflate(buffer: Buffer, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(buffer, { maxOutputLength: maxBytes + 1 }, (error, output) => {
      if (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|maxOutputLength/i.test(error.message)) {
          reject(new IngestError('payload_too_large', `Decompressed body exceeds the limit of ${KB(maxBytes)}`));
        } else reject(new IngestError('invalid_gzip', `Body is not valid gzip: ${error.message}`));
        return;
      }
      if (output.length > maxBytes) reject(new IngestError('payload_too_large', `Decompressed body exceeds the limit of ${KB(maxBytes)}`));
      else resolve(output);
    });
  });
}

/** The body as text, checked for content type, encoding and size. */
export async function readJsonText(req: IncomingMessage, maxBytes: number = LIMITS.batchBytes): Promise<string> {
  const type = req.headers['content-type'] ?? 'application/json';
  const isDeclaredJson = JSON_TYPES.test(type);
  const unsupported = () => new IngestError('unsupported_content_type', `Content-Type ${type} is not accepted; send application/json (or text/plain with a JSON body)`);
  if (!isDeclaredJson && !CLIENT_DEFAULT_TYPES.test(type)) {
    req.resume();
    throw unsupported();
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    req.resume();
    throw new IngestError('unsupported_encoding', `Content-Encoding ${encoding} is not accepted; use gzip or none`);
  }
  const text = encoding === 'gzip'
    ? (await inflate(await readRaw(req, LIMITS.compressedBytes, 'Compressed body'), maxBytes)).toString('utf8')
    : (await readRaw(req, maxBytes, 'Body')).toString('utf8');
  if (!isDeclaredJson && !/^\s*[[{]/.test(text)) throw unsupported();
  return text;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new IngestError('invalid_json', `Body is not valid JSON: ${(error as Error).message}`);
  }
}
