// The dapp in a real headless Chromium (Debian's package through playwright-core) against a real
// substrate-contracts-node with the suite deployed. A provider's whole life through the page:
// register (after the URL error), a refused stake that sends nothing, whitelisting and funding
// from the admin view, approve + stake, register_and_stake, the scheduler's reports of two
// epochs, reward rows, a claim, the cluster claim, the unstake after the lock; plus an injected
// extension's account, the public gateway view, 375 px and the keyboard. After each step the
// test reads the chain itself. Screenshots: $CARGO_TARGET_DIR/dapp or target/dapp.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Suite, connect, deploy, describeError, formatFunc, loadBundles, ops, parseAmount, providerIdBytes, signerFromUri, toJson } from '../../client/lib/index.js';
import { requireBundles, startNode } from '../../client/test/helpers.js';
import { buildDapp, launchBrowser, serve, shotsDir } from './harness.js';

const FUNC = (n) => parseAmount(String(n));
const MODEL = 1;
const STAKE = FUNC(1000);
const ID1 = 'bob-gpu-1';
const ID2 = 'bob-gpu-2';

describe('the dapp in headless Chromium', { concurrency: false, timeout: 15 * 60_000 }, () => {
  let node;
  let api;
  let server;
  let browser;
  let page;
  let pageUrl;
  let shots;
  let shotN = 0;
  let E; // first reported epoch
  const s = {};
  const requests = [];
  const sockets = [];
  const addr = (who) => s[who].signer.address;
  const bytes = (id) => providerIdBytes(id);
  const balance = (who) => ops.balanceOf(s.Alice, addr(who));
  const nonce = async (who) => (await api.query.system.account(addr(who))).nonce.toNumber();
  const pool = () => s.Alice.pool(MODEL);
  const staked = async (id) => BigInt(await (await pool()).query('get_provider_staked_amount', [bytes(id)]));
  const claimedThrough = async (id) => Number(await (await pool()).query('claimed_through', [bytes(id)]));
  const allowance = async (who) => BigInt(await s.Alice.token.query('allowance', [addr(who), (await pool()).address]));

  const shot = async (name) => {
    shotN += 1;
    const file = join(shots, `${String(shotN).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
  /** Waits until the page has drawn the chain state (no refresh running). */
  const settle = async () => {
    await page.waitForTimeout(150);
    await page.waitForFunction(() => document.body.dataset.ready && !document.body.dataset.busy && !document.querySelector('#view[aria-busy]'), null, { timeout: 30_000 });
  };
  const go = async (route) => {
    await page.locator(`nav a[data-route="${route}"]`).click();
    await page.waitForFunction((r) => document.querySelector('#view')?.dataset.view === r, route);
    await settle();
  };
  const useAccount = async (who) => {
    await page.selectOption('#account', `dev:${addr(who)}`);
    await page.waitForFunction((a) => document.querySelector('#account-summary code.addr')?.textContent === a, addr(who));
    await settle();
  };
  /** Opens an action's dialog with `trigger`; resolves with the dialog locator once the dry-run answered. */
  const openAction = async (trigger) => {
    await trigger.click();
    const dialog = page.locator('dialog#action[open]');
    await dialog.waitFor();
    await dialog.locator('[data-action="confirm"], [data-refusal]').first().waitFor({ timeout: 60_000 });
    return dialog;
  };
  /** Confirms the open dialog and waits for every transaction's block. */
  const confirm = async (dialog, name) => {
    const text = await dialog.innerText();
    assert.match(text, /Fee/);
    assert.match(text, /Storage deposit/);
    await dialog.locator('[data-action="confirm"]').click();
    await dialog.locator('[data-done], [data-refusal]').first().waitFor({ timeout: 120_000 });
    assert.equal(await dialog.locator('[data-refusal]').count(), 0, await dialog.innerText());
    const done = await dialog.innerText();
    assert.match(done, /in block #\d+/);
    if (name) await shot(name);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await settle();
    return done;
  };
  const card = (id) => page.locator(`article.card[data-provider="${id}"]`);

  before(async () => {
    const bundles = loadBundles(requireBundles());
    shots = shotsDir();
    node = await startNode();
    api = await connect(node.url);
    const out = await deploy({
      api,
      signer: signerFromUri('//Alice'),
      bundles,
      network: 'dapp-test',
      url: node.url,
      parameters: { epoch_length: 10, min_epochs_locked: 2, epoch_reward_delay: 2, auto_whitelist: false },
      roles: [{ role: 'Scheduler', account: signerFromUri('//Dave').address }],
    });
    for (const who of ['Alice', 'Bob', 'Dave', 'Eve', 'Ferdie']) s[who] = new Suite(api, signerFromUri(`//${who}`), bundles, out.deployment);
    await ops.createModel(s.Alice, { modelId: MODEL, name: 'llama-3-8b', shards: 4, computeUnits: 8, stakeAmount: STAKE });
    out.deployment.models = s.Alice.deployment.models;
    await ops.transfer(s.Alice, addr('Bob'), FUNC(5000));
    const dir = mkdtempSync(join(tmpdir(), 'func-dapp-'));
    const deploymentFile = join(dir, 'dapp-test.json');
    writeFileSync(deploymentFile, `${toJson(out.deployment)}\n`);
    buildDapp(join(dir, 'dist'));
    server = await serve({ port: 0, dist: join(dir, 'dist'), deployment: deploymentFile });
    pageUrl = `${server.url}?rpc=${encodeURIComponent(node.url)}`;
    ({ page, ...browser } = await launchBrowser());
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    page.on('websocket', (ws) => sockets.push(ws.url()));
    // An injected extension (the window.injectedWeb3 protocol @polkadot/extension-dapp reads):
    // it holds Eve's account and signs payloads with Eve's key, outside the page.
    await page.exposeFunction('funcTestSign', (payload) => {
      const p = api.registry.createType('ExtrinsicPayload', payload, { version: payload.version });
      return { id: 1, signature: p.sign(s.Eve.signer).signature };
    });
    await page.addInitScript((eve) => {
      const accounts = [{ address: eve, name: 'Eve (test extension)', type: 'sr25519' }];
      window.injectedWeb3 = {
        'func-test-extension': {
          version: '1.0.0',
          enable: async () => ({
            accounts: { get: async () => accounts, subscribe: (cb) => { cb(accounts); return () => {}; } },
            signer: { signPayload: (payload) => window.funcTestSign(payload) },
          }),
        },
      };
    }, addr('Eve'));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await api?.disconnect();
    await node?.stop();
  });

  test('public view without an account: models and the empty gateway page', async () => {
    await page.goto(pageUrl);
    await settle();
    await go('models');
    const row = page.locator('table.models tr[data-model="1"]');
    await assert.doesNotReject(row.waitFor());
    assert.match(await row.innerText(), /llama-3-8b[\s\S]*1,000 FUNC[\s\S]*yes/);
    assert.equal(await row.locator('[data-active-count]').innerText(), '0');
    assert.equal(await page.locator('nav a[data-route="admin"]').count(), 0, 'no admin view without a role');
    await shot('models-public');
  });

  test('Bob (dev account): FUNC balance and pool allowance as on-chain', async () => {
    await useAccount('Bob');
    assert.equal(await page.locator('[data-func-balance]').getAttribute('data-func-balance'), (await balance('Bob')).toString());
    assert.equal(await page.locator('[data-allowance="1"]').innerText(), formatFunc(await allowance('Bob')));
    assert.equal(await page.locator('nav a[data-route="admin"]').count(), 0);
  });

  test('register: the URL error as the user types, then register', async () => {
    await go('register');
    await page.getByLabel('Provider (peer) ID').fill(ID1);
    await page.getByLabel('Node URL').fill('ftp://bob.example');
    const urlError = describeError('RegistryError', 'MetadataInvalidUrl');
    await page.getByText(urlError).waitFor();
    assert.equal(await page.locator('button[name="register"]').isDisabled(), true);
    await shot('register-url-error');
    await page.getByLabel('Node URL').fill('https://bob.example:8080');
    await page.getByLabel('Name (optional)').fill('Bob GPU');
    assert.equal(await page.getByText(urlError).count(), 0);
    await page.getByText('The node accepts this registration (dry-run).').waitFor();
    const n0 = await nonce('Bob');
    const dialog = await openAction(page.locator('button[name="register"]'));
    const done = await confirm(dialog, 'register-done');
    assert.match(done, /ProviderRegistered/);
    const info = await s.Alice.registry.query('get_provider', [bytes(ID1)]);
    assert.equal(info.owner, addr('Bob'));
    assert.deepEqual(JSON.parse(info.metadata), { url: 'https://bob.example:8080', name: 'Bob GPU' });
    assert.equal(await nonce('Bob'), n0 + 1);
  });

  test('a refused dry-run shows the worded error and sends nothing', async () => {
    await go('providers');
    const c = card(ID1);
    await c.waitFor();
    assert.equal(await c.locator('[data-status]').getAttribute('data-status'), 'inactive');
    assert.match(await c.locator('.problems').innerText(), /stake below the requirement[\s\S]*the provider is not whitelisted/);
    const [n0, b0, a0] = [await nonce('Bob'), await balance('Bob'), await allowance('Bob')];
    const dialog = await openAction(c.locator('button[data-action="stake"]'));
    const refusal = await dialog.locator('[data-refusal]').innerText();
    assert.equal(refusal, `provider_staking.stake_for_provider refused: ${describeError('StakingError', 'NotWhitelisted')}`);
    assert.match(await dialog.innerText(), /Nothing was sent/);
    await shot('stake-refused');
    await dialog.getByRole('button', { name: 'Close' }).click();
    assert.equal(await nonce('Bob'), n0, 'no transaction from Bob');
    assert.equal(await balance('Bob'), b0);
    assert.equal(await allowance('Bob'), a0);
    assert.equal(await staked(ID1), 0n);
  });

  test('Alice (owner) sees the admin view: whitelist, fund rewards, automatic whitelist', async () => {
    await useAccount('Alice');
    await go('admin');
    await page.getByLabel('Provider ids (comma or space separated)').fill(ID1);
    await confirm(await openAction(page.locator('button[name="whitelist"]')), 'admin-whitelist');
    assert.equal(await s.Alice.registry.query('whitelisted', [bytes(ID1)]), true);
    await page.getByLabel('Fund rewards (FUNC)').fill('1000');
    const d = await openAction(page.locator('button[name="fund"]'));
    assert.equal(await d.locator('li.step').count(), 2, 'approve, then fund_rewards');
    await confirm(d);
    assert.equal(BigInt((await (await pool()).query('reward_funding')).balance), FUNC(1000));
    await confirm(await openAction(page.locator('button[name="toggle-auto"]')));
    assert.equal(await s.Alice.registry.query('auto_whitelist'), true);
  });

  test('Bob approves exactly the missing amount and stakes: active, unstake locked', async () => {
    await useAccount('Bob');
    await go('providers');
    const b0 = await balance('Bob');
    const d = await openAction(card(ID1).locator('button[data-action="stake"]'));
    const steps = d.locator('li.step');
    assert.equal(await steps.count(), 2);
    assert.match(await steps.nth(0).innerText(), /approve\(.*1,000 FUNC\)/);
    assert.match(await steps.nth(1).innerText(), /stake_for_provider/);
    await confirm(d, 'stake-done');
    assert.equal(await staked(ID1), STAKE);
    assert.equal(await balance('Bob'), b0 - STAKE);
    assert.equal(await allowance('Bob'), 0n, 'exactly the missing amount was approved');
    assert.equal(await s.Alice.registry.query('active', [bytes(ID1)]), true);
    const c = card(ID1);
    assert.equal(await c.locator('[data-status]').getAttribute('data-status'), 'active');
    const unstake = c.locator('button[data-action="unstake"]');
    assert.equal(await unstake.isDisabled(), true);
    const stakeInfo = await (await pool()).query('get_stake', [bytes(ID1)]);
    assert.match(await c.locator('[data-lock]').innerText(), new RegExp(`unlocks in epoch ${Number(stakeInfo.last_stake_epoch) + 2}`));
    await shot('provider-active');
  });

  test('guided register_and_stake of a second provider', async () => {
    await go('register');
    await page.getByLabel('Provider (peer) ID').fill(ID2);
    await page.getByLabel('Node URL').fill('https://bob2.example');
    await page.getByLabel('Name (optional)').fill('');
    await page.getByText('The node accepts this registration (dry-run).').waitFor();
    const b0 = await balance('Bob');
    const d = await openAction(page.locator('button[name="register-and-stake"]'));
    assert.equal(await d.locator('li.step').count(), 2);
    await confirm(d);
    assert.equal(await staked(ID2), STAKE);
    assert.equal(await balance('Bob'), b0 - STAKE);
    assert.equal(await s.Alice.registry.query('active', [bytes(ID2)]), true);
  });

  test('an injected extension account signs in its extension', async () => {
    await page.locator('#connect-extension').click();
    await page.waitForFunction(() => [...document.querySelectorAll('#account option')].some((o) => o.value.startsWith('ext:')));
    await page.selectOption('#account', `ext:${addr('Eve')}`);
    await settle();
    await go('register');
    await page.getByLabel('Provider (peer) ID').fill('eve-node');
    await page.getByLabel('Node URL').fill('https://eve.example');
    await page.getByText('The node accepts this registration (dry-run).').waitFor();
    await confirm(await openAction(page.locator('button[name="register"]')));
    assert.equal((await s.Alice.registry.query('get_provider', [bytes('eve-node')])).owner, addr('Eve'));
  });

  test('read-only: a watched address previews an action but cannot send it', async () => {
    const n0 = await nonce('Bob');
    await page.locator('summary', { hasText: 'Watch an address (read-only)' }).click();
    await page.getByLabel('Address', { exact: true }).fill(addr('Bob'));
    await page.getByLabel('Address', { exact: true }).press('Enter');
    await page.waitForFunction((a) => document.querySelector('#account-summary code.addr')?.textContent === a, addr('Bob'));
    await settle();
    await go('providers');
    const d = await openAction(card(ID2).locator('button[data-action="deactivate"]'));
    assert.equal(await d.locator('[data-action="confirm"]').isDisabled(), true);
    assert.match(await d.innerText(), /watched read-only/);
    await d.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await nonce('Bob'), n0);
  });

  test('gateway view: active providers with their URLs', async () => {
    await page.selectOption('#account', '');
    await settle();
    await go('gateway');
    const rows = page.locator('table.gateway tbody tr');
    await rows.first().waitFor();
    const text = await page.locator('table.gateway').innerText();
    assert.match(text, new RegExp(`${ID1}[\\s\\S]*https://bob.example:8080`));
    assert.match(text, new RegExp(`${ID2}[\\s\\S]*https://bob2.example`));
    assert.doesNotMatch(text, /eve-node/, 'eve-node has no stake: not active');
    await shot('gateway');
  });

  test('the scheduler (Dave) reports two epochs from the admin view', async () => {
    await useAccount('Dave');
    E = Number(await s.Alice.epoch.query('current_epoch')) + 1; // both providers staked before E began
    for (const e of [E, E + 1]) {
      await ops.advanceToEpoch(s.Ferdie, e + 1);
      await go('admin');
      await page.getByLabel('Epoch (ended, not yet claimable)').fill(String(e));
      await page.getByLabel('Reward total (FUNC)').fill('100');
      await page.getByLabel('Total shards').fill('10');
      await page.getByLabel('Provider shards, one per line: id=shards').fill(`${ID1}=6\n${ID2}=4`);
      const d = await openAction(page.locator('button[name="report"]'));
      assert.equal(await d.locator('li.step').count(), 2, 'set_epoch_reward, then record_provider_shards');
      await confirm(d, `report-epoch-${e - E + 1}`);
      const report = await (await pool()).query('epoch_reward', [e]);
      assert.equal(BigInt(report.total), FUNC(100));
      assert.equal(BigInt(report.recorded_shards), 10n);
      assert.equal(BigInt(await (await pool()).query('provider_shards', [bytes(ID1), e])), 6n);
    }
  });

  test('Bob sees the reward rows and claims one provider', async () => {
    await ops.advanceToEpoch(s.Ferdie, E + 3);
    await useAccount('Bob');
    await go('rewards');
    for (const e of [E, E + 1]) {
      const row = page.locator(`table.rewards tr[data-epoch="${e}"]`);
      assert.equal(await row.getAttribute('data-state'), 'claimable');
      assert.equal(await row.locator('[data-share]').getAttribute('data-share'), FUNC(60).toString());
    }
    assert.equal(await page.locator('[data-pending]').getAttribute('data-pending'), FUNC(120).toString());
    await page.locator('svg.chart').waitFor();
    const file = await shot('rewards');
    console.error(`rewards screenshot: ${file}`);
    const b0 = await balance('Bob');
    await confirm(await openAction(page.locator('button[name="claim-one"]')), 'claim-one-done');
    assert.equal(await claimedThrough(ID1), E + 1);
    assert.equal(await balance('Bob'), b0 + FUNC(120));
    assert.equal(await page.locator(`table.rewards tr[data-epoch="${E}"]`).getAttribute('data-state'), 'claimed');
  });

  test('claim all through the cluster claim: one line per provider', async () => {
    const b0 = await balance('Bob');
    const d = await openAction(page.locator('button[name="claim-all"]'));
    const expected = await d.locator('ul.lines').innerText();
    assert.match(expected, new RegExp(`${ID2}: succeeded`));
    assert.match(expected, new RegExp(`${ID1}: `));
    const done = await confirm(d, 'claim-all-done');
    assert.match(done, new RegExp(`${ID2}: succeeded`));
    assert.match(done, /total: 80 FUNC/);
    assert.equal(await claimedThrough(ID2), E + 1);
    assert.equal(await claimedThrough(ID1), E + 1);
    assert.equal(await balance('Bob'), b0 + FUNC(80));
  });

  test('after the lock, Bob unstakes and gets the stake back', async () => {
    const stakeInfo = await (await pool()).query('get_stake', [bytes(ID1)]);
    await ops.advanceToEpoch(s.Ferdie, Number(stakeInfo.last_stake_epoch) + 2);
    await go('providers');
    const unstake = card(ID1).locator('button[data-action="unstake"]');
    assert.equal(await unstake.isDisabled(), false);
    const b0 = await balance('Bob');
    await confirm(await openAction(unstake), 'unstake-done');
    assert.equal(await staked(ID1), 0n);
    assert.equal(await balance('Bob'), b0 + STAKE);
    assert.equal(await s.Alice.registry.query('active', [bytes(ID1)]), false);
    assert.match(await card(ID1).locator('.problems').innerText(), /stake below the requirement/);
  });

  test('375 px wide, keyboard and labels', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await go('providers');
    await settle();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than 375px`);
    await shot('phone-providers');
    await go('rewards');
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0);
    await shot('phone-rewards');
    // every form control has a label
    for (const route of ['register', 'rewards', 'providers', 'gateway']) {
      await go(route);
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll('input, select, textarea')]
          .filter((el) => el.type !== 'hidden' && el.labels?.length === 0 && !el.getAttribute('aria-label'))
          .map((el) => el.id || el.name),
      );
      assert.deepEqual(unlabelled, [], `unlabelled fields on ${route}`);
    }
    // keyboard: reach the Register section from the top with Tab, open it with Enter
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.evaluate(() => document.activeElement?.blur());
    await page.locator('body').focus();
    let found = false;
    for (let i = 0; i < 40 && !found; i += 1) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => document.activeElement?.dataset?.route === 'register');
    }
    assert.ok(found, 'the Register link is reachable by Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#view')?.dataset.view === 'register');
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.activeElement && document.activeElement !== document.body));
  });

  test('the page loaded nothing but its own files and talked only to the node', () => {
    const foreign = requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('data:'));
    assert.deepEqual(foreign, []);
    assert.ok(sockets.length > 0);
    for (const u of sockets) assert.equal(new URL(u).port, new URL(node.url).port);
  });
});
