/**
 * Fails when the SQL migrations and prisma/schema.prisma disagree, naming each difference
 * (`column users.email: schema.prisma says "text NOT NULL", the migrated database has …`).
 * Fix it by adding a migration, or by correcting the schema, until both describe one database.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFacts } from './schema-catalog.ts';
import { diffFacts, loadDatamodel, prismaFacts, type TFacts } from './schema-drift.ts';
import { createTestDb, type TTestDb } from './test-db.ts';

const SCHEMA_PATH = path.resolve(import.meta.dirname, '../../prisma/schema.prisma');

describe('schema drift between prisma/schema.prisma and the migrations', () => {
  let testDb: TTestDb;
  let schema: string;
  let migrated: TFacts;

  beforeAll(async () => {
    testDb = await createTestDb();
    schema = await readFile(SCHEMA_PATH, 'utf8');
    migrated = await databaseFacts(testDb.url);
  });

  afterAll(async () => {
    await testDb?.drop();
  });

  it('finds no difference', () => {
    const differences = diffFacts(prismaFacts(loadDatamodel(schema)), migrated);
    expect(differences, `schema.prisma and the migrated database differ:\n  ${differences.join('\n  ')}\n`).toEqual([]);
  });

  it('reads each kind of fact from the database (so an empty diff means something)', () => {
    expect(migrated.get('table users')).toBe('');
    expect(migrated.get('column users.email')).toBe('text NOT NULL');
    expect(migrated.get('column audit_entries.actor_type')).toBe('ActorType NOT NULL');
    expect(migrated.get('column worker_heartbeats.last_seen_at')).toBe('timestamp(3) with time zone NOT NULL');
    expect(migrated.get('enum Role')).toBe('admin, editor, support');
    expect(migrated.get('primary key memberships')).toBe('(workspace_id, user_id)');
    expect(migrated.has('unique index sources (workspace_id, slug)')).toBe(true);
    expect(migrated.has('index audit_entries (workspace_id, at DESC)')).toBe(true);
    expect(migrated.get('foreign key memberships (user_id)')).toBe('→ users (id) ON DELETE CASCADE ON UPDATE CASCADE');
    expect(migrated.has('table _switchyard_migrations')).toBe(false);
  });

  describe('reports what differs when the schema is edited', () => {
    const drift = (edit: (text: string) => string) => diffFacts(prismaFacts(loadDatamodel(edit(schema))), migrated);
    const replace = (from: string | RegExp, to: string) => (text: string) => {
      const edited = text.replace(from, to);
      if (edited === text) throw new Error(`edit did not apply: ${from}`);
      return edited;
    };

    it('a field without a column, and a type that differs', () => {
      expect(drift(replace('  name         String\n  passwordHash', '  name         String\n  nickname     String?\n  passwordHash'))).toEqual([
        'column users.nickname (text): in schema.prisma, missing from the migrated database',
      ]);
      expect(drift(replace('pid        Int', 'pid        BigInt'))).toEqual([
        'column worker_heartbeats.pid: schema.prisma says "bigint NOT NULL", the migrated database has "integer NOT NULL"',
      ]);
    });

    it('nullability, @map and a model without its table', () => {
      expect(drift(replace('  hostname   String\n', '  hostname   String?\n'))).toEqual([
        'column worker_heartbeats.hostname: schema.prisma says "text", the migrated database has "text NOT NULL"',
      ]);
      expect(drift(replace('@map("actor_label")', '@map("actor_name")'))).toEqual([
        'column audit_entries.actor_label (text NOT NULL): in the migrated database, missing from schema.prisma',
        'column audit_entries.actor_name (text NOT NULL): in schema.prisma, missing from the migrated database',
      ]);
      expect(drift((text) => `${text}\nmodel Extra {\n  id Int @id\n  @@map("extras")\n}\n`)).toEqual([
        'column extras.id (integer NOT NULL): in schema.prisma, missing from the migrated database',
        'primary key extras ((id)): in schema.prisma, missing from the migrated database',
        'table extras: in schema.prisma, missing from the migrated database',
      ]);
    });

    it('enum values, unique and plain indexes, foreign key actions', () => {
      expect(drift(replace('  editor\n  support\n}', '  editor\n  support\n  viewer\n}'))).toEqual([
        'enum Role: schema.prisma says "admin, editor, support, viewer", the migrated database has "admin, editor, support"',
      ]);
      expect(drift(replace('  @@unique([workspaceId, slug])\n', ''))).toEqual([
        'unique index sources (workspace_id, slug): in the migrated database, missing from schema.prisma',
      ]);
      expect(drift(replace('  @@index([email, at])\n', '  @@index([at, email])\n'))).toEqual([
        'index sign_in_attempts (at, email): in schema.prisma, missing from the migrated database',
        'index sign_in_attempts (email, at): in the migrated database, missing from schema.prisma',
      ]);
      expect(drift(replace('references: [id], onDelete: Cascade)\n  createdAt  DateTime  @default(now())', 'references: [id], onDelete: Restrict)\n  createdAt  DateTime  @default(now())'))).toEqual([
        'foreign key auth_sessions (user_id): schema.prisma says "→ users (id) ON DELETE RESTRICT ON UPDATE CASCADE", the migrated database has "→ users (id) ON DELETE CASCADE ON UPDATE CASCADE"',
      ]);
    });
  });
});
