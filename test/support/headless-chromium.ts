/**
 * Debian's Chromium driven by playwright-core, as both browser suites launch it, and a wait for
 * the page server they start. Flags: no sandbox as root, and no background networking, without
 * which Chromium contacts outside hosts that this network refuses.
 */
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// prettier-ignore
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A persistent context in `profileDir` (Playwright refuses --user-data-dir in `args`). */
export function launchHeadlessChromium(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
  });
}

/** Polls `url` until it answers 2xx, for up to ten seconds. */
export async function waitUntilServing(url: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet listening
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
