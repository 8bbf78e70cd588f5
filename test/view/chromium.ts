/**
 * Debian's Chromium for the browser tests, driven by playwright-core (which never downloads a
 * browser of its own). Absent Chromium: the tests skip with a message, except under CI, where
 * .ci/run installs it and its absence fails them.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Where Debian installs it (`apt-get install chromium`); DAXSIM_CHROMIUM overrides. */
export const CHROMIUM = process.env.DAXSIM_CHROMIUM ?? '/usr/bin/chromium';

/** Whether the browser tests run here; false prints why once. */
export function haveChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) return true; // let the launch fail loudly: CI must run them
  console.warn(
    `browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium; CI installs it)`,
  );
  return false;
}

/** The machine's network is closed: no background traffic, no QUIC, no first-run work. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium with a fresh profile; `close` also removes the profile. */
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'daxsim-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    viewport: { width: 1500, height: 950 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
