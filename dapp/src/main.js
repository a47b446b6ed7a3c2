// The Function Network Dapp: a provider's page over the FUNC suite. Chain access goes through
// client/lib only (bundles → Suite, ops, view models, preview/send, errors and events in words).
import './style.css';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { web3Accounts, web3Enable, web3FromSource } from '@polkadot/extension-dapp';
import { advanceBlocks, connect, DEFAULT_URL } from '../../client/lib/chain.js';
import { CONTRACT_NAMES } from '../../client/lib/bundles.js';
import { Suite } from '../../client/lib/suite.js';
import * as ops from '../../client/lib/ops.js';
import { addressSigner } from '../../client/lib/actions.js';
import { formatFunc, parseAmount } from '../../client/lib/codec.js';
import * as view from '../../client/lib/view.js';
import { h, clear, dl, shortAddress } from './dom.js';
import { runAction } from './dialog.js';
import { term } from './words.js';
import { registerView } from './views/register.js';
import { providersView } from './views/providers.js';
import { rewardsView } from './views/rewards.js';
import { historyView } from './views/history.js';
import { modelsView, gatewayView } from './views/public.js';

const APP_NAME = 'Function Network Dapp';
const STORE = 'func-dapp';
const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];

/** Shared state of the page. */
export const app = {
  api: null,
  url: null,
  bundles: null,
  deployment: null,
  deploymentFrom: null,
  suite: null, // signer = the chosen account (or a neutral viewer for the public view)
  account: null, // { address, name, kind: 'dev'|'extension'|'readonly', source }
  accounts: { dev: [], extension: [] },
  models: [],
  clock: null,
  frontiers: {}, // model id → the pool's last final (claimable) epoch
  roles: null,
  route: 'providers',
  wantedRoute: 'providers', // the route asked for (a deep link may name one this account cannot see yet)
  devKeyring: null,
  dev: false, // a development chain: blocks come with transactions
  chain: null,
  refreshing: null,
  conn: 'loading', // loading | connecting | connected | reconnecting | offline | wrong-chain | wrong-deployment
  lastBlockAt: null,
  lostAt: null,
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

/** The banner under the header; `tag` lets a later state clear its own banner only. */
function banner(text, kind = 'error', tag = null) {
  const el = $('banner');
  el.dataset.tag = text ? (tag ?? '') : '';
  clear(el, text ? h('p', { class: kind, role: kind === 'error' ? 'alert' : 'status', 'data-banner': tag ?? kind }, text) : null);
}
function clearBanner(tag) {
  if ($('banner').dataset.tag === tag) banner(null);
}

// --- connection state ---------------------------------------------------------------------------

const time = (t) => new Date(t).toTimeString().slice(0, 8);

function setConn(state, text) {
  app.conn = state;
  const el = $('conn');
  el.dataset.conn = state;
  document.body.dataset.conn = state;
  const dot = { connected: '●', reconnecting: '◌', connecting: '◌', loading: '◌' }[state] ?? '✕';
  clear(el, h('span', { class: 'dot', 'aria-hidden': 'true' }, dot), ' ', text);
}

function connectedText() {
  return `Connected: ${app.chain} · ${app.deployment?.network ?? 'network'}${app.clock ? ` · block #${app.clock.block}` : ''}`;
}

function onDisconnected() {
  if (app.conn === 'reconnecting' || app.conn === 'offline') return;
  app.lostAt = Date.now();
  setConn('reconnecting', `Reconnecting to ${app.url}: the node stopped answering at ${time(app.lostAt)}`);
  banner(`The node at ${app.url} is not answering. What you see is as of block #${app.clock?.block ?? '?'}; the page reconnects by itself and redraws when the node is back. Nothing can be sent meanwhile.`, 'warn', 'conn');
  renderClock();
}

async function onReconnected() {
  if (app.conn !== 'reconnecting' && app.conn !== 'offline') return;
  setConn('connecting', `Connected again to ${app.url}: checking the chain…`);
  try {
    if (!(await checkChainAndDeployment())) return;
    clearBanner('conn');
    setConn('connected', connectedText());
    await refresh();
  } catch (e) {
    if (view.isConnectionError(e)) onDisconnected();
    else banner(view.plainError(e, { url: app.url }).text);
  }
}

/** Genesis and contract checks; false (and the state, the words, the picker) when the page cannot go on. */
async function checkChainAndDeployment() {
  const genesis = app.api.genesisHash.toHex();
  if (app.deployment.genesisHash && app.deployment.genesisHash !== genesis) {
    setConn('wrong-chain', `Wrong chain: ${app.chain} at ${app.url} is not the chain of this deployment`);
    showWrongDeployment(
      `The deployment file (from ${app.deploymentFrom}) was written for another chain (genesis ${shortAddress(app.deployment.genesisHash)}); the node at ${app.url} runs genesis ${shortAddress(genesis)}.`,
    );
    return false;
  }
  const check = await view.checkDeployment(app.suite);
  if (!check.ok) {
    setConn('wrong-deployment', `Wrong deployment: the contracts of ${app.deployment.network ?? 'this deployment'} are not on this chain`);
    showWrongDeployment(
      `This chain has no contract at ${check.missing.map((m) => `${m.name} (${shortAddress(m.address)})`).join(', ')}. The deployment file (from ${app.deploymentFrom}) belongs to another chain, or to an earlier run of a development node that started empty again.`,
    );
    return false;
  }
  if (check.otherCode.length) {
    banner(`${check.otherCode.map((c) => c.name).join(', ')} run${check.otherCode.length === 1 ? 's' : ''} other code than this page was built with (an upgrade or another build): if values look wrong, rebuild the page with that build's bundles.`, 'warn', 'code');
  }
  document.body.dataset.deployment = 'ok';
  return true;
}

function showWrongDeployment(why) {
  document.body.dataset.deployment = 'wrong';
  clear($('nav'));
  clear(
    $('view'),
    h(
      'section',
      { class: 'panel', 'data-wrong-deployment': '', 'aria-labelledby': 'wrong-title' },
      h('h2', { id: 'wrong-title' }, 'This page cannot use this deployment on this node'),
      h('p', {}, why),
      h('p', {}, 'What to do:'),
      h(
        'ul',
        {},
        h('li', {}, 'Open the deployment file written for this node (deployments/<network>.json of the run that deployed on it), below; or'),
        h('li', {}, 'point the page at the node the file was written for (Node and deployment, at the top); or'),
        h('li', {}, 'on a development node that started empty, deploy the suite again (scripts/devnet.sh or func deploy) and open the new file.'),
      ),
    ),
    deploymentPicker(),
  );
  $('view').dataset.view = 'wrong-deployment';
  $('view').dataset.rendered = String(Date.now());
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
    if (r.ok) return { deployment: await r.json(), from: q ? `the address ${q}` : 'the server' };
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
      if (!d?.contracts?.provider_registry?.address) throw new Error('it names no provider registry address (contracts.provider_registry.address)');
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
    h('p', {}, 'The page needs the addresses of the suite: a deployments/<network>.json file as written by the deploy (func deploy or scripts/devnet.sh).'),
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
  app.dev = Boolean(type.isDevelopment || type.isLocal);
  if (!app.dev) return;
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

function nativeText(v) {
  const dec = app.api.registry.chainDecimals?.[0] ?? 12;
  const base = 10n ** BigInt(dec);
  const whole = (v / base).toLocaleString('en-US');
  return `${whole} ${app.api.registry.chainTokens?.[0] ?? 'UNIT'}`;
}

async function renderAccountSummary() {
  const el = $('account-summary');
  if (!app.account) {
    clear($('account-line'), 'Account: none (public view)');
    return clear(el, h('p', { class: 'hint' }, 'Choose an account to see its FUNC, its allowances and its providers.'));
  }
  const a = await view.loadAccount(app.suite, app.account.address, app.models);
  clear($('account-line'), `Account: ${app.account.name} ${shortAddress(a.address)} · ${formatFunc(a.func)}`);
  clear(
    el,
    dl([
      ['Address', h('code', { class: 'addr' }, a.address)],
      ['FUNC balance', h('span', { 'data-func-balance': a.func.toString() }, formatFunc(a.func))],
      ['Native balance (fees)', nativeText(a.native)],
      ...a.allowances.map((x) => [[term('allowance', `Allowance`), ` to the model ${x.model_id} pool`], h('span', { 'data-allowance': String(x.model_id) }, formatFunc(x.allowance))]),
    ]),
    app.account.kind === 'readonly' ? h('p', { class: 'warn' }, 'Read-only: actions are dry-run and shown, not sent.') : null,
  );
  return undefined;
}

function renderClock() {
  const c = app.clock;
  if (!c) return;
  const live = app.conn === 'connected';
  const words = view.nextEpochWords(c, { now: Date.now(), lastBlockAt: app.lastBlockAt ?? Date.now(), dev: app.dev });
  const age = app.lastBlockAt ? Math.max(0, Math.round((Date.now() - app.lastBlockAt) / 1000)) : null;
  const frontier = Object.entries(app.frontiers);
  const frontierText = frontier.length === 0 ? '—' : frontier.map(([m, e]) => (e === 0 ? `none yet${frontier.length > 1 ? ` (model ${m})` : ''}` : `epoch ${e}${frontier.length > 1 ? ` (model ${m})` : ''}`)).join(', ');
  clear($('clock-line'), `Epoch ${c.current_epoch} · block ${c.progress.done} of ${c.progress.of}${live ? '' : ' · not live'}`);
  const produce = app.dev && live && c.blocks_to_next > 0
    ? h('button', { type: 'button', id: 'produce-blocks', 'data-blocks': String(c.blocks_to_next), onclick: () => produceBlocks(c.blocks_to_next) }, `Produce ${c.blocks_to_next} block${c.blocks_to_next === 1 ? '' : 's'} (to epoch ${c.current_epoch + 1})`)
    : null;
  clear(
    $('clock-body'),
    h('h2', { id: 'clock-title', class: 'sr-only' }, 'Epoch clock'),
    h('p', { class: 'epoch-now' }, term('epoch', 'Epoch'), ' ', h('strong', { 'data-current-epoch': String(c.current_epoch) }, String(c.current_epoch))),
    h('progress', { id: 'epoch-progress', max: String(c.progress.of), value: String(c.progress.done), 'aria-label': `Epoch ${c.current_epoch}: ${c.progress.done} of ${c.progress.of} blocks` }),
    h('p', { class: `next-epoch${words.overdue ? ' warn' : ''}`, 'data-next-epoch': '' }, words.text),
    h(
      'p',
      { class: `hint block-age${live ? '' : ' warn'}`, 'data-block-age': age === null ? '' : String(age) },
      live ? `Block #${c.block}${age !== null ? `, ${age} s ago` : ''}` : `Not live: as of block #${c.block} (${app.conn === 'reconnecting' ? `node lost at ${time(app.lostAt)}` : app.conn})`,
    ),
    app.dev
      ? h('p', { class: 'hint', 'data-dev-chain': '' }, 'Development chain: the node makes a block only when a transaction arrives, so the clock moves with transactions, not with time.')
      : null,
    produce,
    dl([
      ['Claimable through', h('span', { 'data-claimable-through': frontier.map(([, e]) => e).join(',') }, frontierText)],
      [term('reward delay', 'Reward delay'), `${c.epoch_reward_delay} epochs`],
      ['Minimum lock', `${c.min_epochs_locked} epochs`],
      [term('epoch', 'Epoch length'), `${c.epoch_length} blocks`],
    ]),
  );
}

async function produceBlocks(n) {
  const btn = $('produce-blocks');
  if (btn) {
    btn.disabled = true;
    btn.textContent = `Producing ${n} block(s)…`;
  }
  try {
    const signer = app.account?.kind === 'dev' ? app.account.pair : app.devKeyring.addFromUri('//Alice');
    await advanceBlocks(app.api, n, signer);
  } catch (e) {
    banner(view.plainError(e, { url: app.url }).text);
  }
  await refresh();
}

// --- routing --------------------------------------------------------------------------------------

const ROUTES = [
  { id: 'providers', label: 'My providers', render: providersView },
  { id: 'register', label: 'Register', render: registerView },
  { id: 'rewards', label: 'Rewards', render: rewardsView },
  { id: 'history', label: 'History', render: historyView },
  { id: 'models', label: 'Models', render: modelsView },
  { id: 'gateway', label: 'Gateway view', render: gatewayView },
  // loaded only when an account with a role opens it
  { id: 'admin', label: 'Admin', render: async (main, c) => (await import('./views/admin.js')).adminView(main, c), guard: () => app.roles?.any },
];

function renderNav() {
  const nav = $('nav');
  const visible = ROUTES.filter((r) => !r.guard || r.guard());
  app.route = visible.some((r) => r.id === app.wantedRoute) ? app.wantedRoute : 'providers';
  if (location.hash.slice(1) !== app.route && location.hash) history.replaceState(null, '', `#${app.route}`);
  clear(
    nav,
    h(
      'ul',
      {},
      visible.map((r) =>
        h(
          'li',
          {},
          h('a', {
            href: `#${r.id}`,
            'aria-current': r.id === app.route ? 'page' : null,
            'data-route': r.id,
            onclick: (e) => {
              // the same hash fires no hashchange: open it anyway
              if (location.hash === `#${r.id}`) {
                e.preventDefault();
                goTo(r.id);
              }
            },
          }, r.label),
        ),
      ),
    ),
  );
}

async function goTo(route, { focus = true } = {}) {
  app.wantedRoute = route || 'providers';
  await renderRoute();
  if (focus && !$('view').contains(document.activeElement)) {
    const heading = $('view').querySelector('h2');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    } else $('view').focus();
  }
}

let renderSeq = 0;

/**
 * Draws the current route. Renders overlap (a new block, a click): each draws into its own
 * container and only the latest one is put on the page, so a slow earlier render never
 * overwrites a later one.
 */
async function renderRoute() {
  if (document.body.dataset.deployment === 'wrong') return;
  renderNav();
  const r = ROUTES.find((x) => x.id === app.route) ?? ROUTES[0];
  const main = $('view');
  const seq = (renderSeq += 1);
  const box = h('div', { class: 'view-root' });
  main.setAttribute('aria-busy', 'true');
  try {
    await r.render(box, ctx);
  } catch (e) {
    if (view.isConnectionError(e)) onDisconnected();
    const p = view.plainError(e, { url: app.url });
    clear(box, h('p', { class: 'error', role: 'alert', 'data-view-error': '' }, p.text), advanced(p.raw));
  } finally {
    if (seq === renderSeq) {
      const focused = main.contains(document.activeElement) && document.activeElement !== main ? document.activeElement : null;
      const hadFocus = focused ? selectorIn(focused) : null;
      main.replaceChildren(box);
      if (hadFocus) {
        const again = main.querySelector(hadFocus);
        if (again && focused.getAttribute('tabindex') === '-1' && !again.hasAttribute('tabindex')) again.setAttribute('tabindex', '-1'); // a heading the focus was moved to
        again?.focus();
      } else if (focused) {
        // the focused element has no twin in the new drawing: keep the focus in <main>, on its heading
        const heading = main.querySelector('h2');
        heading?.setAttribute('tabindex', '-1');
        (heading ?? main).focus();
      }
      main.removeAttribute('aria-busy');
      main.dataset.view = r.id;
      main.dataset.rendered = String(Date.now());
    }
  }
}

/** A selector for a focused control, to find it again in a redrawn view. */
function selectorIn(el) {
  const card = el.closest('[data-provider]');
  const own = el.id ? `#${CSS.escape(el.id)}` : el.getAttribute('name') ? `[name="${el.getAttribute('name')}"]` : el.dataset.action ? `[data-action="${el.dataset.action}"]` : null;
  if (!own) return null;
  return card && !el.id ? `[data-provider="${CSS.escape(card.dataset.provider)}"] ${own}` : own;
}

function advanced(raw) {
  return h('details', { class: 'advanced' }, h('summary', {}, 'Advanced'), h('pre', {}, raw));
}

/**
 * Reloads chain state and redraws (after an action, a new block or an account change). A call
 * while a reload runs makes it run once more at its end (the account may have changed meanwhile);
 * the promise settles when the page shows the latest state.
 */
export function refresh() {
  if (app.conn !== 'connected') return Promise.resolve();
  if (app.refreshing) {
    app.refreshAgain = true;
    return app.refreshing;
  }
  app.refreshing = (async () => {
    document.body.dataset.busy = '1';
    try {
      do {
        app.refreshAgain = false;
        await refreshOnce();
      } while (app.refreshAgain && app.conn === 'connected');
    } finally {
      app.refreshing = null;
      delete document.body.dataset.busy;
    }
  })();
  return app.refreshing;
}

async function refreshOnce() {
  try {
    if (!app.blockTime || Date.now() - app.blockTime.at > 30_000) app.blockTime = { ...(await view.blockTime(app.api)), at: Date.now() };
    const clock = await view.loadEpochClock(app.suite, { time: app.blockTime });
    if (!app.clock || clock.block !== app.clock.block) app.lastBlockAt = app.lastBlockAt ?? Date.now();
    app.clock = clock;
    app.models = await view.loadModels(app.suite);
    app.frontiers = await view.loadClaimFrontiers(app.suite, app.models, app.clock);
    app.roles = app.account ? await view.loadRoles(app.suite, app.account.address, app.models) : null;
    setConn('connected', connectedText());
    renderClock();
    renderAccountPicker();
    await renderAccountSummary();
    await renderRoute();
    clearBanner('rpc');
    document.body.dataset.ready = String(app.clock.block);
  } catch (e) {
    if (view.isConnectionError(e) || !app.api.isConnected) onDisconnected();
    else {
      const p = view.plainError(e, { url: app.url });
      banner(p.text, 'error', 'rpc');
    }
  }
}

/** What every view gets. */
const ctx = {
  app,
  refresh,
  devAddress,
  goTo,
  /** Runs an ops function through preview → confirm → send, then refreshes. */
  act(title, fn, extra = {}) {
    const readOnly = !app.account || app.account.kind === 'readonly';
    const trigger = document.activeElement;
    return runAction({
      title,
      suite: app.suite,
      fn,
      url: app.url,
      canSend: !readOnly && app.conn === 'connected',
      readOnlyReason: app.conn !== 'connected' ? 'The node is not answering: nothing can be sent now.' : !app.account ? 'Choose an account to send.' : 'This address is watched read-only: choose an extension or dev account to send.',
      trigger,
      ...extra,
      onDone: async (r, result) => {
        if (r === 'sent' || r === 'failed') await refresh();
        await extra.onDone?.(r, result);
      },
    });
  },
  parseAmount,
  ops,
  view,
};

// --- boot ---------------------------------------------------------------------------------------

async function connectLoop(url) {
  for (let attempt = 1; ; attempt += 1) {
    setConn(attempt === 1 ? 'connecting' : 'offline', attempt === 1 ? `Connecting to ${url}…` : `Not connected: no node answers at ${url} (try ${attempt})`);
    try {
      return await connect(url, { timeoutMs: 15_000 });
    } catch (e) {
      banner(`${view.plainError(e, { url }).text.replace(/ The page reconnects.*$/, '')} Check that the node runs, or change the endpoint under "Node and deployment". The page tries again every few seconds.`, 'error', 'conn');
      await new Promise((r) => setTimeout(r, 3_000));
    }
  }
}

async function boot() {
  window.addEventListener('hashchange', () => goTo(location.hash.slice(1)));
  app.wantedRoute = location.hash.slice(1) || 'providers';
  if (window.matchMedia?.('(max-width: 899px)').matches) {
    $('account-panel').open = false;
    $('clock').open = false;
  }
  await cryptoWaitReady();
  const [abis, dep] = await Promise.all([loadAbis(), loadDeployment()]);
  app.bundles = abis;
  if (!dep.deployment) {
    setConn('offline', 'No deployment opened');
    clear($('view'), deploymentPicker());
    return;
  }
  app.deployment = dep.deployment;
  app.deploymentFrom = dep.from;
  const url = endpoint(app.deployment);
  app.url = url;
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
  app.api = await connectLoop(url);
  clearBanner('conn');
  app.chain = (await app.api.rpc.system.chain()).toString();
  app.api.on('disconnected', onDisconnected);
  app.api.on('error', () => {
    if (!app.api.isConnected) onDisconnected();
  });
  app.api.on('connected', () => setTimeout(onReconnected, 200));
  app.suite = new Suite(app.api, null, app.bundles, app.deployment);
  app.suite.signer = viewerSigner();
  setConn('connecting', `Connected to ${url}: checking the deployment…`);
  if (!(await checkChainAndDeployment())) return;
  setConn('connected', `Connected: ${app.chain}`);
  await setupDevAccounts();
  const last = saved('account');
  if (last?.startsWith('dev:') && app.accounts.dev.some((a) => `dev:${a.address}` === last)) await chooseAccount(last);
  else if (last?.startsWith('ro:')) await chooseAccount(last);
  else await refresh();
  let pending = null;
  await app.api.rpc.chain.subscribeNewHeads(() => {
    app.lastBlockAt = Date.now();
    clearTimeout(pending);
    pending = setTimeout(() => {
      if (!document.querySelector('dialog[open]') && !document.activeElement?.matches('input, textarea, select')) refresh();
      else view.loadEpochClock(app.suite, { time: app.blockTime ?? undefined }).then((c) => { app.clock = c; renderClock(); }, () => {});
    }, 400);
  });
  // the clock's "N s ago" and ETA words move every second; a stale clock says so
  setInterval(() => {
    if (!document.querySelector('#clock-body :focus')) renderClock();
  }, 1_000);
}

boot().catch((e) => banner(view.plainError(e, { url: app.url }).text));
