/**
 * `npm ci` refuses a lock that lacks an entry for any optional dependency of a locked package,
 * even one for another platform (`Missing: @next/swc-darwin-arm64@16.4.6 from lock file`).
 * A lock written by `npm install` on a mirror that lacks those binaries silently drops them;
 * this test fails the run when that happens again. Repair: `npm install --package-lock-only`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

interface TLockEntry {
  version?: string;
  optionalDependencies?: Record<string, string>;
}

const ROOT = path.resolve(import.meta.dirname, '..');
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, TLockEntry> };

/** Where Node would resolve `name` from the package at `from`: nested first, then upwards. */
function resolveEntry(from: string, name: string): TLockEntry | undefined {
  let base = from;
  for (;;) {
    const candidate = lock.packages[`${base ? `${base}/` : ''}node_modules/${name}`];
    if (candidate) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

describe('package-lock.json', () => {
  it('holds every optional dependency of every locked package, for all platforms (npm ci needs them)', () => {
    const missing: string[] = [];
    for (const [location, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        if (!resolveEntry(location, name)) missing.push(`${name} (optional dependency of ${location || 'the root'})`);
      }
    }
    expect(missing, 'run `npm install --package-lock-only` to complete the lock').toEqual([]);
  });

  it('still locks the platform binaries a Mac and Windows install needs', () => {
    for (const name of ['@next/swc-darwin-arm64', '@next/swc-win32-x64-msvc', '@unrs/resolver-binding-darwin-arm64', '@msgpackr-extract/msgpackr-extract-darwin-arm64']) {
      expect(lock.packages[`node_modules/${name}`], name).toBeDefined();
    }
  });
});
