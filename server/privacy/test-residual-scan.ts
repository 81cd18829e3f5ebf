/**
 * For tests: the residual scan. A data-only dump of the whole database (every row of every
 * table and partition in `public`, as `COPY … TO STDOUT` text: what `pg_dump --data-only`
 * writes; the embedded PostgreSQL 18 package ships no pg_dump, and Debian's pg_dump 15
 * refuses an 18 server) and the text of every archive file, searched for each needle.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

export async function dumpDataOnly(databaseUrl: string): Promise<Map<string, string>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1`,
    );
    const dump = new Map<string, string>();
    for (const { name } of rows) {
      const stream = client.query(copyTo(`COPY public."${name}" TO STDOUT`));
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      dump.set(name, Buffer.concat(chunks).toString('utf8'));
    }
    return dump;
  } finally {
    await client.end();
  }
}

export async function readArchive(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (folder: string) => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else {
        const data = await readFile(full);
        files.set(full, full.endsWith('.gz') ? gunzipSync(data).toString('utf8') : data.toString('utf8'));
      }
    }
  };
  await walk(dir);
  return files;
}

/** Where each needle occurs (case-insensitive): `table` or file names, with counts. */
export function occurrences(texts: Map<string, string>, needles: string[]): Record<string, number> {
  const found: Record<string, number> = {};
  for (const [where, text] of texts) {
    const lower = text.toLowerCase();
    for (const needle of needles) {
      const count = lower.split(needle.toLowerCase()).length - 1;
      if (count > 0) found[`${where}: ${needle}`] = count;
    }
  }
  return found;
}
