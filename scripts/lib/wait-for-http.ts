/**
 * Waits until an HTTP endpoint answers at all (any status: a 503 from /api/health still
 * means the web process is up), polling while `isCancelled()` stays false.
 */
const POLL_MS = 500;
const REQUEST_TIMEOUT_MS = 5_000;

export async function isAnswering(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

/** Resolves true once `url` answers, false when cancelled or after `timeoutMs`. */
export async function waitUntilAnswering(
  url: string,
  isCancelled: () => boolean = () => false,
  timeoutMs = Number.POSITIVE_INFINITY,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!isCancelled() && Date.now() < deadline) {
    if (await isAnswering(url)) return true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return false;
}
