/**
 * For delivery tests: scripted sink behaviours (see test-sink.ts `respond`) — failing for a
 * while, answering once per webhook-id then differently, hanging forever while counting
 * open requests, answering slowly, and streaming an endless body with backpressure.
 */
import type { TSinkResponder } from './test-sink.ts';
import { ok } from './test-sink.ts';

export function answer(status: number, headers: Record<string, string> = {}, body = ''): TSinkResponder {
  return (_request, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };
}

/** `status` for `ms` after the first request arrives, then 200. */
export function failingFor(ms: number, status = 500): TSinkResponder {
  let firstAt: number | null = null;
  return (request, res) => {
    firstAt ??= request.at;
    return (request.at - firstAt < ms ? answer(status) : ok)(request, res);
  };
}

/** `first` for the first arrival of each webhook-id, `then` for later ones. */
export function firstThen(first: TSinkResponder, then: TSinkResponder): TSinkResponder {
  const seen = new Set<string>();
  return (request, res) => {
    const isFirst = !seen.has(request.id);
    seen.add(request.id);
    return (isFirst ? first : then)(request, res);
  };
}

export interface THangTracker {
  open: number;
  maxOpen: number;
  /** Every change of the open count: when, and the count after it. */
  timeline: Array<{ at: number; open: number }>;
}

export const newHangTracker = (): THangTracker => ({ open: 0, maxOpen: 0, timeline: [] });

/** Accepts the request and never answers; counts requests open until the client gives up. */
export function hanging(tracker: THangTracker = newHangTracker()): TSinkResponder {
  return (_request, res) => {
    tracker.open++;
    tracker.maxOpen = Math.max(tracker.maxOpen, tracker.open);
    tracker.timeline.push({ at: Date.now(), open: tracker.open });
    res.on('close', () => {
      tracker.open--;
      tracker.timeline.push({ at: Date.now(), open: tracker.open });
    });
  };
}

export function slow(ms: number, then: TSinkResponder = ok): TSinkResponder {
  return (request, res) => {
    setTimeout(() => {
      if (!res.destroyed) void then(request, res);
    }, ms);
  };
}

/** 200 with a body of `limitBytes` (endless for practical purposes), written only as fast as the client reads. */
export function endlessBody(limitBytes: number, stats: { written: number }): TSinkResponder {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  return (_request, res) => {
    let isClosed = false;
    let sent = 0;
    res.on('close', () => {
      isClosed = true;
    });
    res.writeHead(200, { 'content-type': 'text/plain' });
    const pump = () => {
      while (!isClosed && sent < limitBytes) {
        sent += chunk.length;
        stats.written += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!isClosed) res.end();
    };
    pump();
  };
}
