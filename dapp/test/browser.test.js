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
import { Suite, advanceBlocks, connect, deploy, describeError, formatFunc, loadBundles, ops, parseAmount, providerIdBytes, signerFromUri, toJson } from '../../client/lib/index.js';
import { requireBundles } from '../../client/test/helpers.js';
import { buildDapp, launchBrowser, serve, shotsDir, startArchiveNode } from './harness.js';

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
  let dist;
  let deployment;
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
  // The steps build on each other: after a failure the rest are skipped, not timed out one by one.
  let broken = null;
  const step = (name, fn) =>
    test(name, async (t) => {
      if (broken) return t.skip(`after the failure of "${broken}"`);
      try {
        return await fn(t);
      } catch (e) {
        broken = name;
        const state = await page?.evaluate(() => ({ view: document.querySelector('#view')?.dataset, body: { ...document.body.dataset }, hash: location.hash, conn: document.querySelector('#conn')?.innerText })).catch(() => null);
        console.error(`failed "${name}": page state ${JSON.stringify(state)}`);
        await page?.screenshot({ path: join(shots, 'FAILED.png'), fullPage: true }).catch(() => {});
        throw e;
      }
    });

  before(async () => {
    const bundles = loadBundles(requireBundles());
    shots = shotsDir();
    node = await startArchiveNode(); // its own folder: stopped and started again mid-session
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
    for (const who of ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']) s[who] = new Suite(api, signerFromUri(`//${who}`), bundles, out.deployment);
    await ops.createModel(s.Alice, { modelId: MODEL, name: 'llama-3-8b', shards: 4, computeUnits: 8, stakeAmount: STAKE });
    out.deployment.models = s.Alice.deployment.models;
    await ops.transfer(s.Alice, addr('Bob'), FUNC(5000));
    const dir = mkdtempSync(join(tmpdir(), 'func-dapp-'));
    const deploymentFile = join(dir, 'dapp-test.json');
    writeFileSync(deploymentFile, `${toJson(out.deployment)}\n`);
    deployment = out.deployment;
    dist = buildDapp(join(dir, 'dist'));
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
    await node?.cleanup();
  });

  step('#admin deep link: opened without an account, the Admin tab works once an admin is chosen', async () => {
    await page.goto(`${pageUrl}#admin`);
    await settle();
    assert.equal(await page.locator('#view').getAttribute('data-view'), 'providers', 'no role: the page falls back to My providers');
    assert.equal(await page.locator('nav a[data-route="admin"]').count(), 0);
    assert.equal(requests.filter((u) => /admin-[A-Z0-9]+\.js/.test(u)).length, 0, 'the admin view is not loaded for the public');
    await useAccount('Alice');
    await page.waitForFunction(() => document.querySelector('#view')?.dataset.view === 'admin');
    assert.ok(requests.some((u) => /admin-[A-Z0-9]+\.js/.test(u)), 'loaded once an admin opens it');
    await go('providers');
    await go('admin');
    assert.equal(await page.locator('#view').getAttribute('data-view'), 'admin');
    await page.selectOption('#account', '');
    await settle();
  });

  step('public view without an account: models and the empty gateway page', async () => {
    await page.goto(pageUrl);
    await settle();
    assert.equal(await page.locator('#conn').getAttribute('data-conn'), 'connected');
    assert.match(await page.locator('#conn').innerText(), /Connected: Development/);
    await go('models');
    const row = page.locator('table.models tr[data-model="1"]');
    await assert.doesNotReject(row.waitFor());
    assert.match(await row.innerText(), /llama-3-8b[\s\S]*1,000 FUNC[\s\S]*yes/);
    assert.equal(await row.locator('[data-active-count]').innerText(), '0');
    assert.equal(await page.locator('nav a[data-route="admin"]').count(), 0, 'no admin view without a role');
    await shot('models-public');
  });

  step('Bob (dev account): FUNC balance and pool allowance as on-chain', async () => {
    await useAccount('Bob');
    assert.equal(await page.locator('[data-func-balance]').getAttribute('data-func-balance'), (await balance('Bob')).toString());
    assert.equal(await page.locator('[data-allowance="1"]').innerText(), formatFunc(await allowance('Bob')));
    assert.equal(await page.locator('nav a[data-route="admin"]').count(), 0);
  });

  step('register: no error before typing, the URL error as the user types, warnings, then register and the new card', async () => {
    await go('register');
    assert.equal(await page.locator('.field-error:not([hidden])').count(), 0, 'an untouched form shows no error');
    assert.match(await page.locator('form[aria-labelledby="register-title"]').innerText(), /prints it when it starts/);
    await page.getByLabel('Provider (peer) ID').fill(ID1);
    await page.getByLabel('Node URL').fill('ftp://bob.example');
    const urlError = describeError('RegistryError', 'MetadataInvalidUrl');
    await page.getByText(urlError).waitFor();
    assert.equal(await page.locator('button[name="register"]').isDisabled(), true);
    await shot('register-url-error');
    await page.getByLabel('Node URL').fill('http://localhost:8080');
    await page.locator('[data-url-warning]:not([hidden])').waitFor();
    assert.match(await page.locator('[data-url-warning]').innerText(), /not encrypted[\s\S]*this machine only/);
    await page.getByLabel('Node URL').fill('https://bob.example:8080');
    assert.equal(await page.locator('[data-url-warning]').isHidden(), true);
    await page.getByLabel('Name (optional)').fill('Bob GPU');
    assert.equal(await page.getByText(urlError).count(), 0);
    await page.getByText('The node accepts this registration (dry-run).').waitFor();
    const n0 = await nonce('Bob');
    const dialog = await openAction(page.locator('button[name="register"]'));
    const done = await confirm(dialog, 'register-done');
    assert.match(done, new RegExp(`Register ${ID1}: in block`));
    // the form is empty again and the new provider's card is open
    await page.waitForFunction(() => document.querySelector('#view')?.dataset.view === 'providers');
    await settle();
    await card(ID1).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-provider]')?.dataset.provider), ID1);
    await go('register');
    assert.equal(await page.getByLabel('Provider (peer) ID').inputValue(), '');
    assert.equal(await page.locator('.field-error:not([hidden])').count(), 0, 'no "already registered" after the success');
    const info = await s.Alice.registry.query('get_provider', [bytes(ID1)]);
    assert.equal(info.owner, addr('Bob'));
    assert.deepEqual(JSON.parse(info.metadata), { url: 'https://bob.example:8080', name: 'Bob GPU' });
    assert.equal(await nonce('Bob'), n0 + 1);
  });

  step('a refused dry-run shows the worded error and sends nothing', async () => {
    await go('providers');
    const c = card(ID1);
    await c.waitFor();
    assert.equal(await c.locator('[data-status]').getAttribute('data-status'), 'inactive');
    const checks = await c.locator('.checklist li').evaluateAll((els) => els.map((e) => [e.dataset.condition, e.dataset.ok]));
    assert.deepEqual(checks, [['registered', 'true'], ['whitelisted', 'false'], ['jailed', 'true'], ['deactivated', 'true'], ['stake', 'false'], ['model', 'true']]);
    assert.match(await c.locator('[data-condition="whitelisted"]').innerText(), /✗[\s\S]*Ask the network's whitelister/);
    assert.match(await c.locator('[data-condition="stake"]').innerText(), /Stake 1,000 FUNC more/);
    assert.equal(await c.locator('button[data-action="deactivate"]').count(), 0, 'no Deactivate on an inactive card');
    await shot('provider-checklist');
    const [n0, b0, a0] = [await nonce('Bob'), await balance('Bob'), await allowance('Bob')];
    const dialog = await openAction(c.locator('button[data-action="stake"]'));
    const refusal = await dialog.locator('[data-refusal]').innerText();
    const words = describeError('StakingError', 'NotWhitelisted');
    assert.equal(refusal, words.charAt(0).toUpperCase() + words.slice(1), 'the refusal in words, no contract.message prefix');
    assert.match(await dialog.locator('details.advanced pre').textContent(), /provider_staking\.stake_for_provider refused/);
    assert.match(await dialog.innerText(), /Nothing was sent/);
    await shot('stake-refused');
    await dialog.getByRole('button', { name: 'Close' }).click();
    assert.equal(await nonce('Bob'), n0, 'no transaction from Bob');
    assert.equal(await balance('Bob'), b0);
    assert.equal(await allowance('Bob'), a0);
    assert.equal(await staked(ID1), 0n);
  });

  step('Alice (owner) sees the admin view: whitelist, fund rewards, automatic whitelist', async () => {
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

  step('a 0-FUNC account: register and stake is stopped before the first signature', async () => {
    await useAccount('Charlie');
    assert.equal(await balance('Charlie'), 0n);
    await go('register');
    await page.getByLabel('Provider (peer) ID').fill('charlie-1');
    await page.getByLabel('Node URL').fill('https://charlie.example');
    await page.getByText('The node accepts this registration (dry-run).').waitFor();
    const n0 = await nonce('Charlie');
    const d = await openAction(page.locator('button[name="register-and-stake"]'));
    await d.locator('[data-preflight]').waitFor();
    assert.match(await d.locator('[data-preflight]').innerText(), /This needs 1,000 FUNC; the account holds 0 FUNC/);
    assert.equal(await d.locator('[data-action="confirm"]').isDisabled(), true, 'no signature for a doomed action');
    await shot('zero-func-blocked');
    await d.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await nonce('Charlie'), n0, 'nothing sent');
    assert.equal(await allowance('Charlie'), 0n, 'no allowance left behind');
    assert.equal(await s.Alice.registry.query('get_provider', [bytes('charlie-1')]), null);
  });

  step('a later step that fails after the approve: try again or revoke the allowance', async () => {
    await useAccount('Bob');
    await go('providers');
    const d = await openAction(card(ID1).locator('button[data-action="stake"]'));
    assert.match(await d.locator('li.step').nth(1).locator('[data-after]').innerText(), /Runs after the approve/);
    // between the preview and the signature Bob's FUNC leaves (another tab, another wallet): the approve goes through, the stake cannot
    const held = await balance('Bob');
    await ops.transfer(s.Bob, addr('Ferdie'), held);
    await d.locator('[data-action="confirm"]').click();
    await d.locator('[data-allowance-left]').waitFor({ timeout: 60_000 });
    assert.equal(await allowance('Bob'), STAKE);
    await shot('stake-failed-after-approve');
    await d.locator('[data-action="revoke"]').click();
    await d.locator('[data-action="confirm"]').waitFor();
    await confirm(d);
    assert.equal(await allowance('Bob'), 0n, 'the allowance is revoked');
    await ops.transfer(s.Ferdie, addr('Bob'), held);
  });

  step('Bob approves exactly the missing amount and stakes: active, unstake locked', async () => {
    await go('providers');
    const b0 = await balance('Bob');
    const d = await openAction(card(ID1).locator('button[data-action="stake"]'));
    const steps = d.locator('li.step');
    assert.equal(await steps.count(), 2);
    assert.match(await steps.nth(0).innerText(), /Allow the model 1 pool to take 1,000 FUNC/);
    assert.match(await steps.nth(0).locator('details.advanced code').textContent(), /approve\(.*1,000 FUNC\)/);
    assert.match(await steps.nth(1).innerText(), new RegExp(`Stake ${ID1}[\\s\\S]*Runs after the approve`));
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

  step('node stopped mid-session: reconnecting in the header, plain words, a stale clock says so; refreshed on return', async () => {
    await go('providers');
    const block0 = Number(await page.locator('body').getAttribute('data-ready'));
    const t0 = Date.now();
    const lap = (what) => console.error(`restart: ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await node.stop();
    lap('node stopped');
    await page.waitForFunction(() => document.querySelector('#conn')?.dataset.conn === 'reconnecting', null, { timeout: 30_000 });
    assert.match(await page.locator('#conn').innerText(), /Reconnecting to ws:\/\/127\.0\.0\.1:\d+/);
    assert.match(await page.locator('[data-banner="conn"]').innerText(), /is not answering/);
    await page.waitForFunction(() => /Not live: as of block/.test(document.querySelector('#clock-body')?.innerText ?? ''));
    await page.locator('nav a[data-route="rewards"]').click();
    await page.waitForFunction(() => document.querySelector('#view')?.dataset.view === 'rewards' && !document.querySelector('#view[aria-busy]'));
    const visible = await page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(visible, /WebSocket is not connected|state_call|0x[0-9a-f]{8}/, 'no raw RPC dump on the page');
    await shot('node-down');
    lap('page said so');
    await node.start();
    lap('node answers');
    await page.waitForFunction(() => document.querySelector('#conn')?.dataset.conn === 'connected', null, { timeout: 60_000 });
    lap('page connected');
    await settle();
    assert.equal(await page.locator('[data-banner="conn"]').count(), 0, 'the banner goes when the node is back');
    assert.equal(await page.locator('#view').getAttribute('data-view'), 'rewards');
    assert.equal(await page.locator('[data-view-error]').count(), 0);
    assert.ok(Number(await page.locator('body').getAttribute('data-ready')) >= block0);
    // new blocks reach the page again (its subscription came back with the node)
    const before = Number(await page.locator('body').getAttribute('data-ready'));
    await advanceBlocks(api, 1, s.Ferdie.signer);
    await page.waitForFunction((b) => Number(document.body.dataset.ready) > b, before, { timeout: 15_000 });
    await shot('node-back');
  });

  step('epoch clock: progress bar, block age, and "produce N blocks" on a dev chain', async () => {
    await go('providers');
    const c = page.locator('#clock-body');
    assert.match(await c.innerText(), /Development chain: the node makes a block only when a transaction arrives/);
    const bar = page.locator('#epoch-progress');
    const [value, max] = [Number(await bar.getAttribute('value')), Number(await bar.getAttribute('max'))];
    const next = Number(await s.Alice.epoch.query('next_epoch_block'));
    const best = Number((await api.rpc.chain.getHeader()).number);
    assert.equal(max, 10);
    assert.equal(value, 10 - (next - best) + 1, 'the best block is the value-th block of the epoch');
    const age0 = Number(await page.locator('[data-block-age]').getAttribute('data-block-age'));
    await page.waitForTimeout(3_200);
    assert.ok(Number(await page.locator('[data-block-age]').getAttribute('data-block-age')) >= age0 + 2, 'the block age moves with time');
    const e0 = Number(await s.Alice.epoch.query('current_epoch'));
    const btn = page.locator('#produce-blocks');
    assert.equal(Number(await btn.getAttribute('data-blocks')), next - best);
    await shot('epoch-clock');
    await btn.click();
    await page.waitForFunction((e) => Number(document.querySelector('[data-current-epoch]')?.dataset.currentEpoch) === e, e0 + 1, { timeout: 60_000 });
    assert.equal(Number(await s.Alice.epoch.query('current_epoch')), e0 + 1);
  });

  step('guided register_and_stake of a second provider', async () => {
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

  step('an injected extension account signs in its extension', async () => {
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

  step('read-only: a watched address previews an action but cannot send it', async () => {
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

  step('gateway view: active providers with their URLs', async () => {
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

  step('the scheduler (Dave) reports two epochs from the admin view', async () => {
    await useAccount('Dave');
    await go('admin');
    await page.getByLabel('Reward total (FUNC)').fill('');
    await page.getByLabel('Total shards').fill('');
    await page.getByLabel('Provider shards, one per line: id=shards').fill('');
    await page.locator('button[name="report"]').click();
    assert.equal(await page.locator('dialog#action[open]').count(), 0, 'empty fields: nothing dry-run, nothing offered');
    assert.match(await page.locator('form, section').filter({ hasText: 'Scheduler report' }).first().innerText(), /reward total in FUNC[\s\S]*total shards: a whole number/);
    E = Number(await s.Alice.epoch.query('current_epoch')) + 1; // both providers staked before E began
    for (const e of [E, E + 1]) {
      await ops.advanceToEpoch(s.Ferdie, e + 1);
      await go('admin');
      if (e === E) {
        // claims never pass an unreported staked epoch: the scheduler closes the ones before E from the page
        const p = await s.Dave.pool(MODEL);
        assert.equal((await p.tryQuery('close_unreported_epochs', [E - 1])).ok, true, 'bob-gpu-1 was staked before E: something to close');
        await page.getByLabel('Close unreported epochs through').fill(String(E - 1));
        await confirm(await openAction(page.locator('button[name="close-epochs"]')));
        assert.ok(Number(await p.query('reported_through')) >= E - 1, 'every epoch before E counts as reported');
      }
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

  step('Bob sees the reward rows and claims one provider', async () => {
    await ops.advanceToEpoch(s.Ferdie, E + 3);
    await useAccount('Bob');
    await go('rewards');
    for (const e of [E, E + 1]) {
      const row = page.locator(`table.rewards tr[data-epoch="${e}"]`);
      assert.equal(await row.getAttribute('data-state'), 'claimable');
      assert.equal(await row.locator('[data-share]').getAttribute('data-share'), FUNC(60).toString());
    }
    assert.equal(await page.locator('[data-pending]').getAttribute('data-pending'), FUNC(120).toString());
    const registered = Number((await s.Alice.registry.query('get_provider', [bytes(ID1)])).registered_epoch);
    assert.ok(registered > 1);
    assert.equal(await page.locator('[data-claim-range]').getAttribute('data-claim-range'), `${registered}-${E + 1}`, 'from its registration epoch, not epoch 1');
    assert.match(await page.locator('[data-claim-range]').innerText(), new RegExp(`First unclaimed epoch: ${registered}`));
    assert.equal(await page.locator('[data-total-pending]').getAttribute('data-total-pending'), FUNC(200).toString(), 'pending across both providers');
    await page.locator('svg.chart').waitFor();
    assert.ok(Number(await page.locator('svg.chart [data-axis-max]').getAttribute('data-axis-max')) > 0, 'the chart has an amount axis');
    const file = await shot('rewards');
    console.error(`rewards screenshot: ${file}`);
    const b0 = await balance('Bob');
    await confirm(await openAction(page.locator('button[name="claim-one"]')), 'claim-one-done');
    assert.equal(await claimedThrough(ID1), E + 1);
    assert.equal(await balance('Bob'), b0 + FUNC(120));
    assert.equal(await page.locator(`table.rewards tr[data-epoch="${E}"]`).getAttribute('data-state'), 'claimed');
    // nothing left for ID1: no inverted range, the button is off
    assert.equal(await page.locator('button[name="claim-one"]').isDisabled(), true);
    assert.match(await page.locator('[data-claim-range]').innerText(), /Nothing to claim/);
  });

  step('one claim button: "Claim 80 FUNC", every provider\'s outcome, the number of transactions', async () => {
    const b0 = await balance('Bob');
    const btn = page.locator('button[name="claim-everything"]');
    assert.equal(await btn.innerText(), 'Claim 80 FUNC');
    assert.match(await page.locator('[data-claim-plan]').innerText(), new RegExp(`1 provider has rewards ready \\(${ID2}\\)`));
    const d = await openAction(btn);
    const n = Number(await d.locator('[data-count]').getAttribute('data-count'));
    assert.ok(n >= 1);
    assert.equal(await d.locator('[data-action="confirm"]').innerText(), n === 1 ? 'Sign and send' : `Sign and send ${n} transactions`);
    const expected = await d.locator('ul.lines').innerText();
    assert.match(expected, new RegExp(`${ID2}: claimed`));
    assert.match(expected, new RegExp(`${ID1}: `), 'every provider is listed, not only the last page');
    const done = await confirm(d, 'claim-all-done');
    assert.match(done, new RegExp(`${ID2}: claimed`));
    assert.match(done, new RegExp(`${ID1}: `));
    assert.match(done, /total: 80 FUNC/);
    assert.equal(await claimedThrough(ID2), E + 1);
    assert.equal(await balance('Bob'), b0 + FUNC(80));
    assert.equal(await btn.count(), 0, 'no claim button at 0');
    assert.equal(await page.locator('[data-total-pending]').getAttribute('data-total-pending'), '0');
  });

  step('history: stakes, reports and claims from the events', async () => {
    await go('history');
    await page.locator('[data-events]').waitFor({ timeout: 60_000 });
    const kinds = await page.locator('table.history tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.kind));
    assert.equal(kinds.filter((k) => k === 'stake').length, 2, kinds.join(','));
    assert.ok(kinds.filter((k) => k === 'claim').length >= 2, kinds.join(','));
    assert.equal(kinds.filter((k) => k === 'report').length, 2, kinds.join(','));
    assert.match(await page.locator('[data-events]').innerText(), /claimed 200 FUNC/);
    await shot('history');
  });

  step('after the lock, Bob unstakes and gets the stake back', async () => {
    const stakeInfo = await (await pool()).query('get_stake', [bytes(ID1)]);
    await ops.advanceToEpoch(s.Ferdie, Number(stakeInfo.last_stake_epoch) + 2);
    await go('providers');
    const unstake = card(ID1).locator('button[data-action="unstake"]');
    assert.equal(await unstake.isDisabled(), false);
    const b0 = await balance('Bob');
    const ud = await openAction(unstake);
    assert.match(await ud.locator('#action-title').innerText(), /stops earning at once/);
    await confirm(ud, 'unstake-done');
    assert.equal(await staked(ID1), 0n);
    assert.equal(await balance('Bob'), b0 + STAKE);
    assert.equal(await s.Alice.registry.query('active', [bytes(ID1)]), false);
    assert.equal(await card(ID1).locator('[data-condition="stake"]').getAttribute('data-ok'), 'false');
  });

  step('375 px: tabs near the top, no column cut off, labels', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.reload();
    await settle();
    await go('providers');
    const navTop = await page.locator('nav#nav').evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    assert.ok(navTop < 420, `the section tabs start ${navTop}px down at 375 px`);
    assert.equal(await page.locator('#clock').evaluate((el) => el.open), false, 'the clock is folded to one line');
    assert.match(await page.locator('#clock-line').innerText(), /^Epoch \d+ · block \d+ of 10/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than 375px`);
    await shot('phone-providers');
    await go('rewards');
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0);
    const cut = () => page.evaluate(() => {
      const wrap = document.querySelector('.table-wrap').getBoundingClientRect();
      const th = [...document.querySelectorAll('table.rewards thead th')].find((x) => x.textContent === 'State').getBoundingClientRect();
      return th.right - wrap.right;
    });
    assert.ok((await cut()) <= 1, `the State column is cut off by ${await cut()}px at 375 px`);
    await shot('phone-rewards');
    for (const route of ['register', 'rewards', 'providers', 'gateway', 'history']) {
      await go(route);
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll('input, select, textarea')]
          .filter((el) => el.type !== 'hidden' && el.labels?.length === 0 && !el.getAttribute('aria-label'))
          .map((el) => el.id || el.name),
      );
      assert.deepEqual(unlabelled, [], `unlabelled fields on ${route}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.reload();
    await settle();
    await go('rewards');
    assert.ok((await cut()) <= 1, `the State column is cut off by ${await cut()}px at 1280 px`);
  });

  step('keyboard: a section link moves the focus into the page; the dialog starts on its title; Esc returns to the trigger', async () => {
    await page.evaluate(() => document.activeElement?.blur());
    await page.locator('body').focus();
    let found = false;
    for (let i = 0; i < 60 && !found; i += 1) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => document.activeElement?.dataset?.route === 'providers');
    }
    assert.ok(found, 'the My providers link is reachable by Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#view')?.dataset.view === 'providers');
    await settle();
    assert.ok(await page.evaluate(() => document.querySelector('#view').contains(document.activeElement)), 'the focus is in <main>, not on <body>');
    const trigger = card(ID2).locator('button[data-action="deactivate"]');
    await trigger.focus();
    await page.keyboard.press('Enter');
    const d = page.locator('dialog#action[open]');
    await d.locator('[data-action="confirm"]').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'action-title', 'not on "Sign and send": Enter, Enter does not sign');
    const n0 = await nonce('Bob');
    await page.keyboard.press('Escape');
    await d.waitFor({ state: 'detached' }).catch(() => {});
    await page.waitForFunction(() => !document.querySelector('dialog[open]'));
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.action), 'deactivate', 'Esc returns to the trigger');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-provider]')?.dataset.provider), ID2);
    assert.equal(await nonce('Bob'), n0);
  });

  step('a deployments file of another dev chain: the page says so and what to do', async () => {
    // every --dev chain has this genesis hash; the addresses hold no contract here
    const foreign = JSON.parse(toJson(deployment));
    for (const [i, name] of Object.keys(foreign.contracts).entries()) {
      if (foreign.contracts[name].address) foreign.contracts[name].address = signerFromUri(`//Foreign${i}`).address;
    }
    writeFileSync(join(dist, 'foreign.json'), JSON.stringify(foreign));
    await page.goto(`${pageUrl}&deployment=./foreign.json`);
    await page.waitForFunction(() => document.body.dataset.deployment === 'wrong', null, { timeout: 60_000 });
    assert.equal(await page.locator('#conn').getAttribute('data-conn'), 'wrong-deployment');
    const text = await page.locator('[data-wrong-deployment]').innerText();
    assert.match(text, /This chain has no contract at func_token/);
    assert.match(text, /What to do/);
    assert.equal(await page.locator('nav a').count(), 0, 'no empty views');
    await shot('wrong-deployment');
    // a file written for another chain altogether: wrong chain in the header
    writeFileSync(join(dist, 'other-chain.json'), JSON.stringify({ ...JSON.parse(toJson(deployment)), genesisHash: `0x${'ab'.repeat(32)}` }));
    await page.goto(`${pageUrl}&deployment=./other-chain.json`);
    await page.waitForFunction(() => document.body.dataset.deployment === 'wrong', null, { timeout: 60_000 });
    assert.equal(await page.locator('#conn').getAttribute('data-conn'), 'wrong-chain');
    assert.match(await page.locator('[data-wrong-deployment]').innerText(), /written for another chain \(genesis 0xabab/);
    await page.goto(pageUrl);
    await settle();
    assert.equal(await page.locator('#conn').getAttribute('data-conn'), 'connected');
  });

  step('the page loaded nothing but its own files and talked only to the node', () => {
    const foreign = requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('data:'));
    assert.deepEqual(foreign, []);
    assert.ok(sockets.length > 0);
    for (const u of sockets) assert.equal(new URL(u).port, new URL(node.url).port);
  });
});
