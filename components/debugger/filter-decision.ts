/** Reads what the filters stage recorded for an event (`pipeline.filters`), for the debugger. */
export interface TFiltersRecord {
  decision: 'filtered' | 'changed' | 'passed';
  reason: string;
  /** Per destination id, when some filter did something. */
  destinations: Record<string, { decision: string; reason: string }>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function filtersOf(pipeline: unknown): TFiltersRecord | null {
  if (!isRecord(pipeline) || !isRecord(pipeline.filters)) return null;
  const { decision, reason, destinations } = pipeline.filters;
  if (decision !== 'filtered' && decision !== 'changed' && decision !== 'passed') return null;
  const byId: TFiltersRecord['destinations'] = {};
  if (isRecord(destinations)) {
    for (const [id, value] of Object.entries(destinations)) {
      if (isRecord(value)) byId[id] = { decision: String(value.decision), reason: String(value.reason) };
    }
  }
  return { decision, reason: typeof reason === 'string' ? reason : '', destinations: byId };
}
