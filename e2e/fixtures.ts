/**
 * Fixtures shared by the journeys. `admin` holds the first-run admin credentials that
 * `scripts/start.ts` wrote to `<dataDir>/first-run-credentials.json` when it seeded this
 * run's fresh install (see playwright.config.ts for the data directory).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test as base, expect } from '@playwright/test';

export interface TCredentials {
  email: string;
  password: string;
}

export function e2eDataDir(): string {
  const dir = process.env.SWITCHYARD_E2E_DATA_DIR;
  if (!dir) throw new Error('SWITCHYARD_E2E_DATA_DIR is not set; run the journeys through playwright.config.ts');
  return dir;
}

export function credentialsFile(): string {
  return path.join(e2eDataDir(), 'first-run-credentials.json');
}

export function readAdminCredentials(): TCredentials {
  const file = credentialsFile();
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<TCredentials>;
    if (!parsed.email || !parsed.password) throw new Error('email or password missing');
    return { email: parsed.email, password: parsed.password };
  } catch (error) {
    throw new Error(`cannot read the first-run admin credentials from ${file}: ${(error as Error).message}`);
  }
}

export const test = base.extend<{ admin: TCredentials }>({
  admin: async ({}, provide) => {
    await provide(readAdminCredentials());
  },
});

export { expect };
