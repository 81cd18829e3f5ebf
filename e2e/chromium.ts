/**
 * Which Chromium the browser tests drive. Playwright cannot download its own browsers on
 * these machines, so look in order: PLAYWRIGHT_CHROMIUM_PATH, CHROMIUM_PATH, Debian's
 * /usr/bin/chromium, then Playwright's own download if one happens to be installed.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const NO_CHROMIUM_MESSAGE = [
  'No Chromium found for the browser tests. Install one with',
  '  apt-get install -y chromium',
  'or point CHROMIUM_PATH (or PLAYWRIGHT_CHROMIUM_PATH) at a Chromium/Chrome binary.',
].join('\n');

function playwrightOwnChromium(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

export function findChromium(environment: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [
    environment.PLAYWRIGHT_CHROMIUM_PATH,
    environment.CHROMIUM_PATH,
    '/usr/bin/chromium',
    playwrightOwnChromium(),
  ];
  return candidates.find((candidate): candidate is string => Boolean(candidate) && existsSync(candidate as string));
}
