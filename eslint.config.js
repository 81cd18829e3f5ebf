import fs from 'node:fs';
import path from 'node:path';
import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const ROOT = import.meta.dirname;

/**
 * Import boundaries (ARCHITECTURE.md): which folder may import what. Each zone forbids
 * `target` to import from `from`. They describe where the code is going (DESIGN.md);
 * what still crosses them today is listed in KNOWN_VIOLATIONS below, by file and import,
 * so that the work that removes a violation also deletes its line. Tests and test helpers
 * (`*.test.ts`, `test-*.ts`), e2e, bench and scripts may reach anywhere.
 */
const NOT_DOMAINS = new Set(['api', 'rest', 'web', 'db']);
const DOMAINS = fs
  .readdirSync(path.join(ROOT, 'server'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !NOT_DOMAINS.has(entry.name))
  .map((entry) => `./server/${entry.name}`);

const ZONES = [
  {
    target: './server',
    from: ['./app', './components', './e2e', './bench', './scripts'],
    message: 'Server code never imports pages, components or tools.',
  },
  {
    target: DOMAINS,
    from: ['./server/api', './server/rest', './server/web'],
    message: 'Domain modules know no transport: they throw AppError and are called by server/api procedures.',
  },
  {
    target: './server/db',
    from: './server',
    except: ['./db', './env.ts'],
    message: 'server/db is the bottom layer: the Prisma client, migrations and the Postgres launcher import no domain.',
  },
  {
    target: ['./server/errors', './server/lib'],
    from: './server',
    except: ['./errors', './lib'],
    message: 'server/errors and server/lib are leaves every layer may use; they import nothing of ours.',
  },
  {
    target: './server/api',
    from: ['./server/rest', './server/web'],
    message: 'Procedures call domain modules; transports (server/rest, server/web) call procedures, not the other way round.',
  },
  {
    target: './server/rest',
    from: './server',
    except: ['./rest', './api', './auth', './tokens', './errors', './db'],
    message: 'The REST adapter serves procedures (server/api); it never calls a domain module itself.',
  },
  {
    target: ['./app', './components', './server/api', './server/rest', './server/web', ...DOMAINS.filter((d) => d !== './server/delivery')],
    from: './server/delivery',
    message: 'server/delivery is the worker process; the web process and other domains do not import it.',
  },
  {
    target: './server/delivery',
    from: './server/ingest',
    message: 'The worker does not import ingest (the web side); shared tables belong to their own module.',
  },
  {
    target: ['./server/queue', './server/events'],
    from: ['./server/ingest', './server/delivery'],
    message: 'The queue (jobs, job_queue, transitions, rollups) and the event store are shared by the web process and the worker; they import neither side.',
  },
  {
    target: ['./app/**/page.tsx', './app/**/layout.tsx', './app/_server/**'],
    from: './server',
    except: ['./api', './auth', './env.ts', './errors', './lib'],
    message: 'Pages read through the procedures (pageCaller() in app/_server/page-session.ts), so every read passes its access rule.',
  },
];

/**
 * Imports that cross a zone today. Each names the work that removes it; delete the line then.
 * Paths are relative to the repository root.
 */
const KNOWN_VIOLATIONS = [
  { file: 'server/destinations/send-test-event.ts', imports: ['server/delivery/call-destination.ts', 'server/delivery/http-sender.ts'], until: 'issue 15: "send test event" must send exactly as the worker does; the HTTP sender (address guard, undici agent) and call-destination move to a module both processes share' },
];

const rel = (p) => `./${p}`;

/** The zones with `imports` excepted where a zone forbids them (for one file's override). */
function zonesAllowing(imports) {
  return ZONES.map((zone) => {
    if (typeof zone.from !== 'string') return zone;
    const from = zone.from.slice(2);
    const excepted = imports.filter((p) => p.startsWith(`${from}/`)).map((p) => rel(path.posix.relative(from, p)));
    return excepted.length ? { ...zone, except: [...(zone.except ?? []), ...excepted] } : zone;
  });
}

const PRODUCTION = { files: ['**/*.{ts,tsx}'], ignores: ['**/*.test.ts', '**/test-*.ts', 'e2e/**', 'bench/**', 'scripts/**'] };

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: ['node_modules/**', '.next/**', '.data/**', '.test-data/**', 'server/db/generated/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'],
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { ...PRODUCTION, rules: { 'import/no-restricted-paths': ['error', { basePath: ROOT, zones: ZONES }] } },
  ...KNOWN_VIOLATIONS.map(({ file, imports }) => ({
    files: [file.replace(/[[\]]/g, '\\$&')],
    rules: { 'import/no-restricted-paths': ['error', { basePath: ROOT, zones: zonesAllowing(imports) }] },
  })),
  {
    files: ['components/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(@/|(\\.\\./)+)server/', allowTypeImports: true, message: 'Components take data from procedures (tRPC); from server/ they import types only (import type).' }] },
      ],
    },
  },
];

export default config;
