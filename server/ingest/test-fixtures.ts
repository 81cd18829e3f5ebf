/** For ingest tests: a workspace with a source, its write key and webhook destinations. */
import type { TActor } from '../audit/actor.ts';
import type { Db } from '../db/client.ts';
import { createDestination } from '../destinations/destinations.ts';
import { createSource } from '../sources/sources.ts';

const SYSTEM: TActor = { type: 'system', id: null, label: 'test', role: 'admin', ip: null };

export async function createIngestFixture(db: Db, { destinations = ['Hook A', 'Hook B'] }: { destinations?: string[] } = {}) {
  const slug = `ws-${Math.random().toString(36).slice(2, 10)}`;
  const workspace = await db.workspace.create({ data: { name: slug, slug } });
  const source = await createSource({ db, workspaceId: workspace.id, actor: SYSTEM, name: 'Web' });
  const created = [];
  for (const name of destinations) {
    const { destination } = await createDestination({
      db,
      workspaceId: workspace.id,
      actor: SYSTEM,
      input: { sourceId: source.id, type: 'webhook', name, settings: { url: 'https://hooks.example.com/in' } },
    });
    created.push(destination);
  }
  return { workspaceId: workspace.id, sourceId: source.id, writeKey: source.writeKeys[0].key, destinations: created, actor: SYSTEM };
}

export function basicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
}
