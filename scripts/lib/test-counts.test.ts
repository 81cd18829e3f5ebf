import { describe, expect, it } from 'vitest';
import { playwrightCounts, stripAnsi, vitestCounts } from './test-counts.ts';

describe('test counts for the npm test summary', () => {
  it('reads vitest totals, failures first after passes', () => {
    expect(vitestCounts(' Test Files  3 passed (3)\n      Tests  42 passed (42)\n   Duration 3s')).toBe('42 passed');
    expect(vitestCounts('      Tests  2 failed | 40 passed | 1 skipped (43)')).toBe('40 passed, 2 failed, 1 skipped');
    expect(vitestCounts('Error: globalSetup failed')).toBeUndefined();
  });

  it('reads playwright totals and ignores test titles that look like totals', () => {
    const output = [
      '  ✓  1 [chromium] › e2e/health.spec.ts:7:1 › 2 passed tests are shown (166ms)',
      '  1 failed',
      '    [chromium] › e2e/health.spec.ts:21:1 › the sign-in page renders',
      '  1 skipped',
      '  7 passed (31.2s)',
    ].join('\n');
    expect(playwrightCounts(output)).toBe('7 passed, 1 failed, 1 skipped');
    expect(playwrightCounts('Error: Process from config.webServer exited early.')).toBeUndefined();
  });

  it('strips colours before reading', () => {
    expect(vitestCounts(stripAnsi('\u001b[2m      Tests \u001b[22m \u001b[1m\u001b[32m5 passed\u001b[39m\u001b[22m\u001b[90m (5)\u001b[39m'))).toBe('5 passed');
  });
});
