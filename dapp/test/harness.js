// Test harness of the dapp: a real substrate-contracts-node with the suite deployed (client/lib),
// the static build served on a free port, and Debian's Chromium driven by playwright-core.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '../../client/lib/index.js';
import { startArchiveNode } from '../../client/test/archive-node.js';
import { serve } from '../serve.mjs';

export const DAPP = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Screenshots go to $CARGO_TARGET_DIR/dapp (or <repo>/target/dapp), like the other build outputs. */
export function shotsDir(env = process.env) {
  const target = env.CARGO_TARGET_DIR ? resolve(REPO_ROOT, env.CARGO_TARGET_DIR) : join(REPO_ROOT, 'target');
  const dir = join(target, 'dapp');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Chromium from the system ($CHROMIUM, else `chromium` on PATH): Debian's package, never a download. */
export function findChromium(env = process.env) {
  if (env.CHROMIUM) {
    if (!existsSync(env.CHROMIUM)) throw new Error(`CHROMIUM=${env.CHROMIUM} does not exist`);
    return env.CHROMIUM;
  }
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      // next
    }
  }
  throw new Error('Chromium not found: install Debian\'s chromium package (scripts/setup.sh does) or set CHROMIUM');
}

/** Builds dist/ (JS bundle + ABIs from the .contract bundles) into a fresh folder. */
export function buildDapp(out) {
  execFileSync(process.execPath, [join(DAPP, 'build.mjs'), '--out', out], { stdio: ['ignore', 'inherit', 'inherit'] });
  return out;
}

/**
 * Starts Chromium headless with a fresh profile; returns `{ context, page, close }`.
 * @param {object} o `{ viewport }`
 */
export async function launchBrowser({ viewport = { width: 1280, height: 900 } } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'func-dapp-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export { serve };

export { startArchiveNode };
