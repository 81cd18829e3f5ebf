/**
 * What prisma/schema.prisma says the database looks like, as a set of facts comparable with
 * what a migrated database really holds (schema-catalog.ts), and the differences between the
 * two in words. The datamodel comes from Prisma's own parser (wasm, works offline), so
 * @map/@@map, @db.* types, @id/@@id, @unique/@@unique, @@index and relations are read as
 * Prisma reads them. Used by schema-drift.test.ts.
 *
 * A fact is `key → detail`: `column users.email → text NOT NULL`, `index audit_entries
 * (workspace_id, at DESC) → ''`, `foreign key memberships (user_id) → users (id) ON DELETE
 * CASCADE ON UPDATE CASCADE`. Keys present on one side only, or with different details, are drift.
 */
import { getDMMF, type GetDMMFError } from '@prisma/get-dmmf';

export type TFacts = Map<string, string>;

type TDocument = Exclude<ReturnType<typeof getDMMF>, GetDMMFError>;
type TDatamodel = TDocument['datamodel'];
type TModel = TDatamodel['models'][number];
type TField = TModel['fields'][number];

/** Prisma's referential actions as Postgres spells them. */
const ACTIONS: Record<string, string> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
};

export function loadDatamodel(schema: string): TDatamodel {
  const result = getDMMF({ datamodel: schema });
  if ('reason' in result) throw new Error(`schema.prisma does not parse: ${result.reason}`, { cause: result.error });
  return result.datamodel;
}

/** The column type Postgres reports (`format_type`) for a field, enums by their name. */
export function columnType(field: TField, datamodel: TDatamodel): string {
  const suffix = field.isList ? '[]' : '';
  if (field.kind === 'enum') {
    const enumDef = datamodel.enums.find((candidate) => candidate.name === field.type);
    return `${enumDef?.dbName ?? field.type}${suffix}`;
  }
  const [native, args = []] = field.nativeType ?? [];
  const precision = args[0] ?? '3';
  const byNative: Record<string, string> = {
    Uuid: 'uuid',
    Text: 'text',
    VarChar: args.length ? `character varying(${args[0]})` : 'character varying',
    Char: `character(${args[0] ?? 1})`,
    Timestamptz: `timestamp(${precision}) with time zone`,
    Timestamp: `timestamp(${precision}) without time zone`,
    Date: 'date',
    Json: 'json',
    JsonB: 'jsonb',
    Integer: 'integer',
    SmallInt: 'smallint',
    BigInt: 'bigint',
    DoublePrecision: 'double precision',
    Real: 'real',
    Decimal: args.length ? `numeric(${args.join(',')})` : 'numeric',
    Inet: 'inet',
    ByteA: 'bytea',
  };
  const byScalar: Record<string, string> = {
    String: 'text',
    Int: 'integer',
    BigInt: 'bigint',
    Boolean: 'boolean',
    DateTime: 'timestamp(3) without time zone',
    Json: 'jsonb',
    Float: 'double precision',
    Decimal: 'numeric(65,30)',
    Bytes: 'bytea',
  };
  const type = native ? byNative[native] : byScalar[field.type];
  if (!type) throw new Error(`schema-drift: no Postgres type known for ${field.type}${native ? ` @db.${native}` : ''}; extend columnType()`);
  return `${type}${suffix}`;
}

export function prismaFacts(datamodel: TDatamodel): TFacts {
  const facts: TFacts = new Map();
  const tableOf = (model: TModel) => model.dbName ?? model.name;
  const columnOf = (model: TModel, fieldName: string) => {
    const field = model.fields.find((candidate) => candidate.name === fieldName);
    return field?.dbName ?? fieldName;
  };

  for (const enumDef of datamodel.enums) {
    facts.set(`enum ${enumDef.dbName ?? enumDef.name}`, enumDef.values.map((value) => value.dbName ?? value.name).join(', '));
  }
  for (const model of datamodel.models) {
    const table = tableOf(model);
    facts.set(`table ${table}`, '');
    for (const field of model.fields) {
      if (field.kind === 'object') {
        if (!field.relationFromFields?.length) continue;
        const target = datamodel.models.find((candidate) => candidate.name === field.type);
        if (!target) throw new Error(`schema-drift: relation ${model.name}.${field.name} points at unknown model ${field.type}`);
        const columns = field.relationFromFields.map((name) => columnOf(model, name));
        const references = (field.relationToFields ?? []).map((name) => columnOf(target, name));
        const isOptional = field.relationFromFields.some((name) => !model.fields.find((f) => f.name === name)?.isRequired);
        const onDelete = ACTIONS[field.relationOnDelete ?? (isOptional ? 'SetNull' : 'Restrict')];
        const onUpdate = ACTIONS[field.relationOnUpdate ?? 'Cascade'];
        facts.set(`foreign key ${table} (${columns.join(', ')})`, `→ ${tableOf(target)} (${references.join(', ')}) ON DELETE ${onDelete} ON UPDATE ${onUpdate}`);
        continue;
      }
      const isNotNull = field.isRequired && !field.isList;
      facts.set(`column ${table}.${field.dbName ?? field.name}`, `${columnType(field, datamodel)}${isNotNull ? ' NOT NULL' : ''}`);
    }
  }
  for (const index of datamodel.indexes) {
    const model = datamodel.models.find((candidate) => candidate.name === index.model);
    if (!model) continue;
    const columns = index.fields.map((field) => `${columnOf(model, field.name)}${field.sortOrder === 'desc' ? ' DESC' : ''}`);
    const table = tableOf(model);
    if (index.type === 'id') facts.set(`primary key ${table}`, `(${columns.join(', ')})`);
    else if (index.type === 'unique') facts.set(`unique index ${table} (${columns.join(', ')})`, '');
    else facts.set(`index ${table} (${columns.join(', ')})`, '');
  }
  return facts;
}

/** Every difference in words, sorted; empty when the two sides agree. */
export function diffFacts(expected: TFacts, actual: TFacts): string[] {
  const differences: string[] = [];
  for (const [key, detail] of expected) {
    if (!actual.has(key)) differences.push(`${key}${detail ? ` (${detail})` : ''}: in schema.prisma, missing from the migrated database`);
    else if (actual.get(key) !== detail) differences.push(`${key}: schema.prisma says "${detail}", the migrated database has "${actual.get(key)}"`);
  }
  for (const [key, detail] of actual) {
    if (!expected.has(key)) differences.push(`${key}${detail ? ` (${detail})` : ''}: in the migrated database, missing from schema.prisma`);
  }
  return differences.sort();
}
