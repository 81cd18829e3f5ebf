/** The writer's hand-built job rows must carry exactly the columns the one job insert reads. */
import { describe, expect, it } from 'vitest';
import { JOB_COLUMNS, jobRowJson } from './insert-jobs.ts';

describe('jobRowJson', () => {
  it('writes every job column, in JSON the recordset can read, with the filtered payload or null', () => {
    const at = new Date('2026-12-02T10:00:00.000Z');
    const base = { id: '0193a1c2-0000-7000-8000-000000000001', createdAt: at, workspaceId: 'w', sourceId: 's', destinationId: 'd', eventId: 'e', eventReceivedAt: at, expireAt: new Date(at.getTime() + 3_600_000) };
    const changed = JSON.parse(jobRowJson({ ...base, payloadJson: '{"event":"Paid","properties":{}}' }));
    expect(Object.keys(changed)).toEqual(JOB_COLUMNS.map(([name]) => name));
    expect(changed).toMatchObject({ created_at: at.toISOString(), expire_at: '2026-12-02T11:00:00.000Z', payload: { event: 'Paid', properties: {} } });
    expect(JSON.parse(jobRowJson({ ...base, payloadJson: null })).payload).toBeNull();
  });
});
