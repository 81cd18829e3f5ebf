/** Limits of the tracking API, as Segment documents them for its HTTP Tracking API. */
export const LIMITS = {
  /** Bytes of one event, measured on its JSON after decompression. */
  eventBytes: 32 * 1024,
  /** Bytes of one request body after decompression. */
  batchBytes: 500 * 1024,
  /** Bytes of a compressed body we are willing to read at all. */
  compressedBytes: 500 * 1024,
  batchEvents: 2500,
  /** Nesting depth of objects and arrays inside one event. */
  depth: 32,
  /** Object keys plus array elements inside one event. */
  keys: 5000,
} as const;

export const KB = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
