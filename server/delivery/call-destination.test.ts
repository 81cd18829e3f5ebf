/**
 * A delivery's requests end before the worker's lease on the job does (lease.ts): look-ups
 * spend the time of the request after them, and a request with too little time left is not
 * sent at all (it is tried again), so a second worker can never send it while the first
 * one is still waiting for an answer.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TAnyDestinationType, TBuiltRequest, TLookup } from '../destinations/catalog/types.ts';
import { DELIVERY_DEFAULTS } from '../destinations/delivery-tuning.ts';
import { callDestination } from './call-destination.ts';
import { HttpSender } from './http-sender.ts';

let server: http.Server;
let base: string;
const paths: string[] = [];
const sender = new HttpSender({ allowPrivate: '*', connections: 4 });

beforeAll(async () => {
  // Every answer takes 700 ms.
  server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    req.resume();
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"42"}'), 700);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sender.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const request = (path: string): TBuiltRequest => ({ method: 'POST', url: `${base}${path}`, headers: { 'content-type': 'application/json' }, body: '{}' });

/** A type that looks the user up first, then sends the event (as HubSpot does). */
const lookingUp = {
  name: 'Looking up',
  buildRequest: (): TLookup => ({ lookup: request('/lookup'), then: () => request('/event') }),
} as unknown as TAnyDestinationType;

const target = { def: lookingUp, settings: {}, tuning: { ...DELIVERY_DEFAULTS, timeoutMs: 5_000 } };
const payload = JSON.stringify({ type: 'track', event: 'Signed Up', userId: 'u-1', messageId: 'm-1' });

it('sends the look-up and the request when the lease leaves time for both', { timeout: 10_000 }, async () => {
  paths.length = 0;
  const result = await callDestination({ sender, target, jobId: 'job-1', payload, now: new Date(), deadline: Date.now() + 5_000 });
  expect(paths).toEqual(['/lookup', '/event']);
  expect(result.kind === 'sent' && result.outcome.kind === 'http' && result.outcome.status).toBe(200);
});

it('does not send the request when the look-up used the time its lease leaves, and says why', { timeout: 10_000 }, async () => {
  paths.length = 0;
  // 1 s left: the look-up's 700 ms leave less than the least a request is sent with.
  const result = await callDestination({ sender, target, jobId: 'job-2', payload, now: new Date(), deadline: Date.now() + 1_000 });
  expect(paths).toEqual(['/lookup']);
  expect(result.kind).toBe('sent');
  if (result.kind !== 'sent') return;
  expect(result.outcome).toMatchObject({ kind: 'network', code: 'TIMEOUT', latencyMs: 0, isNotSent: true });
  expect(result.outcome.kind === 'network' && result.outcome.message).toMatch(/not sent: the worker's lease on this job ends/);
});

it('cuts a request short at the deadline rather than at the destination\'s timeout', { timeout: 10_000 }, async () => {
  paths.length = 0;
  const direct = { ...target, def: { name: 'Direct', buildRequest: () => request('/event') } as unknown as TAnyDestinationType };
  const result = await callDestination({ sender, target: direct, jobId: 'job-3', payload, now: new Date(), deadline: Date.now() + 600 });
  expect(paths).toEqual(['/event']);
  expect(result.kind === 'sent' && result.outcome).toMatchObject({ kind: 'network', code: 'TIMEOUT' });
});
