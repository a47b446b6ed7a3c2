// The Function Network Dapp: a provider's page over the FUNC suite. Chain access goes through
// client/lib only (bundles → Suite, ops, view models, preview/send, errors and events in words).
import './style.css';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { web3Accounts, web3Enable, web3FromSource } from '@polkadot/extension-dapp';
import { connect, DEFAULT_URL } from '../../client/lib/chain.js';
import { CONTRACT_NAMES } from '../../client/lib/bundles.js';
import { Suite } from '../../client/lib/suite.js';
import * as ops from '../../client/lib/ops.js';
import { addressSigner } from '../../client/lib/actions.js';
import { formatFunc, parseAmount } from '../../client/lib/codec.js';
import * as view from '../../client/lib/view.js';
import { h, clear, dl, shortAddress } from './dom.js';
import { runAction } from './dialog.js';
import { registerView } from './views/register.js';
import { providersView } from './views/providers.js';
import { rewardsView } from './views/rewards.js';
import { modelsView, gatewayView } from './views/public.js';
import { adminView } from './views/admin.js';

const APP_NAME = 'Function Network Dapp';
const STORE = 'func-dapp';
const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];

/** Shared state of the page. */
export const app = {
  api: null,
  bundles: null,
  deployment: null,
  suite: null, // signer = the chosen account (or a neutral viewer for the public view)
  account: null, // { address, name, kind: 'dev'|'extension'|'readonly', source }
  accounts: { dev: [], extension: [] },
  models: [],
  clock: null,
  roles: null,
  route: 'providers',
  devKeyring: null,
  refreshing: null,
};

const $ = (id) => document.getElementById(id);

function saved(key, value) {
  try {
    if (value === undefined) return localStorage.getItem(`${STORE}.${key}`);
    if (value === null) localStorage.removeItem(`${STORE}.${key}`);
    else localStorage.setItem(`${STORE}.${key}`, value);
  } catch {
    // storage off
  }
  return null;
}

function banner(text, kind = 'error') {
  const el = $('banner');
  clear(el, text ? h('p', { class: kind, role: kind === 'error' ? 'alert' : 'status' }, text) : null);
}

// --- configuration: ABIs, deployment, endpoint -------------------------------------------------

async function loadAbis() {
  const out = {};
  await Promise.all(
    CONTRACT_NAMES.map(async (name) => {
      const r = await fetch(`./abi/${name}.json`);
      if (!r.ok) throw new Error(`the build holds no ABI for ${name} (./abi/${name}.json): rebuild the dapp with the contract bundles present`);
      out[name] = await r.json();
    }),
  );
  return out;
}

async function loadDeployment() {
  // ?deployment=<url> > a file the user opened in this tab > the server's ./deployment.json > the last one opened here
  const q = new URLSearchParams(location.search).get('deployment');
  const parse = (text) => {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  };
  let picked = null;
  try {
    picked = sessionStorage.getItem(`${STORE}.picked`) ? parse(saved('deployment')) : null;
  } catch {
    // storage off
  }
  if (!q && picked) return { deployment: picked, from: 'the file you opened' };
  try {
    const r = await fetch(q ?? './deployment.json', { cache: 'no-store' });
    if (r.ok) return { deployment: await r.json(), from: q ?? 'the server' };
  } catch {
    // none served
  }
  const s = parse(saved('deployment'));
  if (s) return { deployment: s, from: 'this browser (opened earlier)' };
  return { deployment: null, from: null };
}

function endpoint(deployment) {
  return new URLSearchParams(location.search).get('rpc') ?? saved('rpc') ?? deployment?.url ?? DEFAULT_URL;
}

function deploymentPicker() {
  const input = h('input', { type: 'file', id: 'deployment-file', accept: '.json,application/json' });
  const paste = h('textarea', { id: 'deployment-text', rows: 4, placeholder: '{"network": …, "contracts": {…}}' });
  const use = (text) => {
    try {
      const d = JSON.parse(text);
      if (!d?.contracts?.provider_registry?.address) throw new Error('it has no contracts.provider_registry.address');
      saved('deployment', JSON.stringify(d));
      try {
        sessionStorage.setItem(`${STORE}.picked`, '1');
      } catch {
        // storage off
      }
      location.reload();
    } catch (e) {
      banner(`That is not a deployment file: ${e.message}`);
    }
  };
  input.addEventListener('change', async () => use(await input.files[0].text()));
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'dep-title' },
    h('h2', { id: 'dep-title' }, 'Open a deployment'),
    h('p', {}, 'The page needs the addresses of the suite: a deployments/<network>.json file as written by `func deploy` or scripts/devnet.sh.'),
    h('div', { class: 'field' }, h('label', { for: 'deployment-file' }, 'Deployment file'), input),
    h('div', { class: 'field' }, h('label', { for: 'deployment-text' }, 'or paste its JSON'), paste),
    h('button', { type: 'button', onclick: () => use(paste.value) }, 'Use this deployment'),
  );
}

// --- accounts -----------------------------------------------------------------------------------

function viewerSigner() {
  return addressSigner(app.deployment.contracts.provider_registry.address, { readOnly: true, viewer: true });
}

async function setupDevAccounts() {
  const type = await app.api.rpc.system.chainType();
  if (!(type.isDevelopment || type.isLocal)) return;
  app.devKeyring = new Keyring({ type: 'sr25519' });
  app.accounts.dev = DEV_NAMES.map((n) => {
    const pair = app.devKeyring.addFromUri(`//${n}`, { name: n });
    return { address: pair.address, name: n, kind: 'dev', pair };
  });
}

async function enableExtensions() {
  const exts = await web3Enable(APP_NAME);
  if (exts.length === 0) {
    banner('No browser extension answered (Polkadot.js, Talisman, SubWallet): install one or allow this page in it.', 'warn');
    return;
  }
  const list = await web3Accounts();
  app.accounts.extension = list.map((a) => ({ address: a.address, name: a.meta.name ?? shortAddress(a.address), kind: 'extension', source: a.meta.source }));
  banner(`${list.length} account(s) from ${exts.map((e) => e.name).join(', ')}`, 'info');
  renderAccountPicker();
}

export function devAddress(uri) {
  const k = app.devKeyring ?? new Keyring({ type: 'sr25519' });
  return k.addFromUri(uri).address;
}

async function chooseAccount(key) {
  let acc = null;
  if (key?.startsWith('dev:')) acc = app.accounts.dev.find((a) => a.address === key.slice(4));
  else if (key?.startsWith('ext:')) acc = app.accounts.extension.find((a) => a.address === key.slice(4));
  else if (key?.startsWith('ro:')) acc = { address: key.slice(3), name: 'read-only', kind: 'readonly' };
  app.account = acc;
  if (!acc) app.suite.signer = viewerSigner();
  else if (acc.kind === 'dev') app.suite.signer = acc.pair;
  else if (acc.kind === 'extension') {
    const injector = await web3FromSource(acc.source);
    app.api.setSigner(injector.signer);
    app.suite.signer = addressSigner(acc.address, { source: acc.source });
  } else app.suite.signer = addressSigner(acc.address, { readOnly: true });
  saved('account', key ?? null);
  await refresh();
}

let pickerKey = null;

function renderAccountPicker() {
  const current = app.account ? `${{ dev: 'dev', extension: 'ext', readonly: 'ro' }[app.account.kind]}:${app.account.address}` : '';
  const key = JSON.stringify([app.accounts.extension.map((a) => a.address), app.accounts.dev.map((a) => a.address), app.account?.kind === 'readonly' ? app.account.address : null]);
  const existing = document.getElementById('account');
  if (existing && key === pickerKey) {
    existing.value = current; // same options: keep the element (and the keyboard focus)
    return;
  }
  pickerKey = key;
  const sel = h('select', { id: 'account', 'aria-describedby': 'account-hint' });
  sel.append(h('option', { value: '' }, 'No account (public view)'));
  if (app.accounts.extension.length) {
    sel.append(h('optgroup', { label: 'Browser extensions' }, app.accounts.extension.map((a) => h('option', { value: `ext:${a.address}` }, `${a.name} (${a.source}) ${shortAddress(a.address)}`))));
  }
  if (app.accounts.dev.length) {
    sel.append(h('optgroup', { label: 'Dev accounts (this is a development chain)' }, app.accounts.dev.map((a) => h('option', { value: `dev:${a.address}` }, `${a.name} ${shortAddress(a.address)}`))));
  }
  if (app.account?.kind === 'readonly') sel.append(h('option', { value: `ro:${app.account.address}` }, `Read-only ${shortAddress(app.account.address)}`));
  sel.value = current;
  sel.addEventListener('change', () => chooseAccount(sel.value));
  const ro = h('input', { id: 'readonly-address', placeholder: '5… SS58 address', autocomplete: 'off', spellcheck: 'false' });
  const roErr = h('p', { class: 'field-error', id: 'readonly-error', role: 'alert', hidden: true });
  ro.setAttribute('aria-describedby', 'readonly-error');
  const watch = () => {
    try {
      decodeAddress(ro.value.trim());
      roErr.hidden = true;
      chooseAccount(`ro:${ro.value.trim()}`);
    } catch {
      roErr.textContent = 'That is not an SS58 address.';
      roErr.hidden = false;
    }
  };
  ro.addEventListener('keydown', (e) => e.key === 'Enter' && watch());
  const hadFocus = document.activeElement?.id === 'account';
  clear(
    $('account-picker'),
    h('div', { class: 'field' }, h('label', { for: 'account' }, 'Account'), sel, h('p', { class: 'hint', id: 'account-hint' }, 'Extension accounts sign in their extension; dev accounts sign in the page.')),
    h('div', { class: 'row' }, h('button', { type: 'button', id: 'connect-extension', onclick: enableExtensions }, 'Connect browser extension')),
    h('details', {}, h('summary', {}, 'Watch an address (read-only)'), h('div', { class: 'field' }, h('label', { for: 'readonly-address' }, 'Address'), ro, roErr), h('button', { type: 'button', onclick: watch }, 'Watch')),
  );
  if (hadFocus) sel.focus();
}

// --- account summary and epoch clock ------------------------------------------------------------

async function renderAccountSummary() {
  const el = $('account-summary');
  if (!app.account) return clear(el, h('p', { class: 'hint' }, 'Choose an account to see its FUNC, its allowances and its providers.'));
  const a = await view.loadAccount(app.suite, app.account.address, app.models);
  clear(
    el,
    dl([
      ['Address', h('code', { class: 'addr' }, a.address)],
      ['FUNC balance', h('span', { 'data-func-balance': a.func.toString() }, formatFunc(a.func))],
      ['Native balance (fees)', `${(a.native / 10n ** BigInt(app.api.registry.chainDecimals?.[0] ?? 12)).toString()} ${app.api.registry.chainTokens?.[0] ?? 'UNIT'}`],
      ...a.allowances.map((x) => [`Allowance to the model ${x.model_id} pool`, h('span', { 'data-allowance': String(x.model_id) }, formatFunc(x.allowance))]),
    ]),
    app.account.kind === 'readonly' ? h('p', { class: 'warn' }, 'Read-only: actions are dry-run and shown, not sent.') : null,
  );
  return undefined;
}

function renderClock() {
  const c = app.clock;
  const pace = c.block_time_source === 'consensus' ? '' : c.block_time_source === 'recent' ? ' (at the recent block pace)' : '';
  clear(
    $('clock'),
    h('h2', { id: 'clock-title' }, 'Epoch clock'),
    dl([
      ['Current epoch', h('strong', { 'data-current-epoch': String(c.current_epoch) }, String(c.current_epoch))],
      ['Block', `#${c.block}`],
      ['Next epoch', `at block #${c.next_epoch_block}: ${c.blocks_to_next} block(s)${c.next_in ? `, ${c.next_in}${pace}` : ''}`],
      ['Last claimable epoch', h('span', { 'data-last-claimable': String(c.last_claimable_epoch) }, c.last_claimable_epoch === 0 ? 'none yet' : String(c.last_claimable_epoch))],
      ['Reward delay', `${c.epoch_reward_delay} epochs`],
      ['Minimum lock', `${c.min_epochs_locked} epochs`],
      ['Epoch length', `${c.epoch_length} blocks`],
    ]),
  );
}

// --- routing --------------------------------------------------------------------------------------

const ROUTES = [
  { id: 'providers', label: 'My providers', render: providersView },
  { id: 'register', label: 'Register', render: registerView },
  { id: 'rewards', label: 'Rewards', render: rewardsView },
  { id: 'models', label: 'Models', render: modelsView },
  { id: 'gateway', label: 'Gateway view', render: gatewayView },
  { id: 'admin', label: 'Admin', render: adminView, guard: () => app.roles?.any },
];

function renderNav() {
  const nav = $('nav');
  const visible = ROUTES.filter((r) => !r.guard || r.guard());
  if (!visible.some((r) => r.id === app.route)) app.route = 'providers';
  clear(
    nav,
    h('ul', {}, visible.map((r) => h('li', {}, h('a', { href: `#${r.id}`, 'aria-current': r.id === app.route ? 'page' : null, 'data-route': r.id }, r.label)))),
  );
}

async function renderRoute() {
  renderNav();
  const r = ROUTES.find((x) => x.id === app.route) ?? ROUTES[0];
  const main = $('view');
  main.setAttribute('aria-busy', 'true');
  try {
    await r.render(main, ctx);
  } catch (e) {
    clear(main, h('p', { class: 'error', role: 'alert' }, e.message));
  } finally {
    main.removeAttribute('aria-busy');
    main.dataset.view = r.id;
    main.dataset.rendered = String(Date.now());
  }
}

/** Reloads chain state and redraws (after an action, a new block or an account change). */
export async function refresh() {
  if (app.refreshing) return app.refreshing;
  app.refreshing = (async () => {
    document.body.dataset.busy = '1';
    try {
      if (!app.blockTime || Date.now() - app.blockTime.at > 30_000) app.blockTime = { ...(await view.blockTime(app.api)), at: Date.now() };
      app.clock = await view.loadEpochClock(app.suite, { time: app.blockTime });
      app.models = await view.loadModels(app.suite);
      app.roles = app.account ? await view.loadRoles(app.suite, app.account.address, app.models) : null;
      renderClock();
      renderAccountPicker();
      await renderAccountSummary();
      await renderRoute();
      document.body.dataset.ready = String(app.clock.block);
    } catch (e) {
      banner(e.message);
    } finally {
      app.refreshing = null;
      delete document.body.dataset.busy;
    }
  })();
  return app.refreshing;
}

/** What every view gets. */
const ctx = {
  app,
  refresh,
  devAddress,
  /** Runs an ops function through preview → confirm → send, then refreshes. */
  act(title, fn, extra = {}) {
    const readOnly = !app.account || app.account.kind === 'readonly';
    return runAction({
      title,
      suite: app.suite,
      fn,
      canSend: !readOnly,
      readOnlyReason: !app.account ? 'Choose an account to send.' : 'This address is watched read-only: choose an extension or dev account to send.',
      ...extra,
      onDone: (r) => {
        if (r === 'sent' || r === 'failed') refresh();
      },
    });
  },
  parseAmount,
  ops,
  view,
};

// --- boot ---------------------------------------------------------------------------------------

async function boot() {
  window.addEventListener('hashchange', () => {
    app.route = location.hash.slice(1) || 'providers';
    renderRoute();
  });
  app.route = location.hash.slice(1) || 'providers';
  await cryptoWaitReady();
  const [abis, dep] = await Promise.all([loadAbis(), loadDeployment()]);
  app.bundles = abis;
  if (!dep.deployment) {
    clear($('view'), deploymentPicker());
    return;
  }
  app.deployment = dep.deployment;
  const url = endpoint(app.deployment);
  const urlInput = $('rpc');
  urlInput.value = url;
  $('rpc-form').addEventListener('submit', (e) => {
    e.preventDefault();
    saved('rpc', urlInput.value.trim());
    const u = new URL(location.href);
    u.searchParams.set('rpc', urlInput.value.trim());
    location.href = u.toString();
  });
  $('change-deployment').addEventListener('click', () => clear($('view'), deploymentPicker()));
  $('conn').textContent = `connecting to ${url}…`;
  try {
    app.api = await connect(url, { timeoutMs: 20_000 });
  } catch (e) {
    $('conn').textContent = 'not connected';
    banner(`${e.message}. Check the node endpoint above.`);
    return;
  }
  const chain = (await app.api.rpc.system.chain()).toString();
  $('conn').textContent = `${chain} · ${app.deployment.network ?? 'network'} (deployment from ${dep.from})`;
  if (app.deployment.genesisHash && app.deployment.genesisHash !== app.api.genesisHash.toHex()) {
    banner(`The deployment file was written for another chain (genesis ${shortAddress(app.deployment.genesisHash)}); this node's genesis is ${shortAddress(app.api.genesisHash.toHex())}.`, 'warn');
  }
  app.suite = new Suite(app.api, null, app.bundles, app.deployment);
  app.suite.signer = viewerSigner();
  await setupDevAccounts();
  const last = saved('account');
  if (last?.startsWith('dev:') && app.accounts.dev.some((a) => `dev:${a.address}` === last)) await chooseAccount(last);
  else if (last?.startsWith('ro:')) await chooseAccount(last);
  else await refresh();
  let pending = null;
  await app.api.rpc.chain.subscribeNewHeads(() => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      if (!document.querySelector('dialog[open]') && !document.activeElement?.matches('input, textarea, select')) refresh();
      else view.loadEpochClock(app.suite, { time: app.blockTime ?? undefined }).then((c) => { app.clock = c; renderClock(); });
    }, 400);
  });
}

boot().catch((e) => banner(e.message));
