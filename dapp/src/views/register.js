// Register a provider: peer id, model, node URL, optional name; every rule checked as the user
// types (client/lib/rules.js, the contract's words), then a dry-run of `register` on the node.
import { checkRegistration, LIMITS } from '../../../client/lib/rules.js';
import { previewAction } from '../../../client/lib/actions.js';
import { formatFunc } from '../../../client/lib/codec.js';
import { h, clear, field, debounce } from '../dom.js';

const form = { id: '', model: '', url: '', name: '' }; // survives redraws
const touched = new Set(); // fields the user typed in: only these show errors

/** Warnings (not errors) on a node URL a gateway may not reach. */
export function urlWarnings(url) {
  const out = [];
  let u = null;
  try {
    u = new URL(url);
  } catch {
    return out;
  }
  if (u.protocol === 'http:') out.push('http:// is not encrypted: gateways and users may refuse it; use https:// for a public node.');
  if (/^(localhost|127\.|\[::1\]|0\.0\.0\.0)/.test(u.hostname) || u.hostname.endsWith('.localhost')) {
    out.push(`${u.hostname} is this machine only: nobody else can reach it. Give the address the world reaches your node at.`);
  }
  return out;
}

export async function registerView(main, ctx) {
  const { app, ops } = ctx;
  const enabled = app.models.filter((m) => m.enabled);
  if (!form.model && enabled[0]) form.model = String(enabled[0].id);
  const id = field('Provider (peer) ID', {
    name: 'provider-id',
    value: form.id,
    placeholder: '12D3KooW…',
    hint: `Your node's libp2p peer ID: the node prints it when it starts (a line like "Local node identity is: 12D3KooW…"). Sent as its UTF-8 bytes, 1 to ${LIMITS.MAX_PROVIDER_ID_LEN} bytes.`,
  });
  const model = field('Model', {
    name: 'model',
    value: form.model,
    options: app.models.map((m) => ({ value: m.id, label: `${m.id} · ${m.name} · stake ${formatFunc(m.stake_amount)}${m.enabled ? '' : ' (disabled)'}` })),
  });
  const url = field('Node URL', { name: 'node-url', type: 'url', inputmode: 'url', value: form.url, placeholder: 'https://node.example.org:8080', hint: 'Where gateways reach your node: https:// (or http://) and a host.' });
  const urlWarn = h('p', { class: 'warn', id: 'url-warning', 'data-url-warning': '', hidden: true });
  const name = field('Name (optional)', { name: 'node-name', value: form.name, placeholder: "e.g. Bob's GPU" });
  const chain = h('p', { class: 'status', id: 'chain-check', role: 'status', 'aria-live': 'polite' });
  const size = h('p', { class: 'hint', id: 'metadata-size' });
  const registerBtn = h('button', { type: 'submit', class: 'primary', name: 'register' }, 'Register');
  const stakeBtn = h('button', { type: 'button', name: 'register-and-stake' }, 'Register and stake');
  const fields = { id, url, name, metadata: url };

  const values = () => ({ id: id.input.value, model: Number(model.input.value), url: url.input.value, name: name.input.value });
  let seq = 0;
  const dryRun = debounce(async () => {
    const v = values();
    const { metadata, problems } = checkRegistration(v);
    if (problems.length || !app.account) return;
    const mine = (seq += 1);
    chain.textContent = 'checking with the node…';
    try {
      await previewAction(app.suite, (s) => ops.register(s, v.id, v.model, metadata));
      if (mine === seq) chain.textContent = 'The node accepts this registration (dry-run).';
      chain.className = 'status ok';
    } catch (e) {
      if (mine === seq) {
        chain.textContent = ctx.view.plainError(e, { url: app.url }).text;
        chain.className = 'status error';
      }
    }
  }, 350);

  const validate = () => {
    const v = values();
    Object.assign(form, { ...v, model: String(v.model) });
    const { metadata, problems } = checkRegistration(v);
    for (const f of [id, url, name]) f.setError(null);
    for (const p of problems) {
      const key = p.field === 'metadata' ? 'url' : p.field;
      if (touched.has(key)) (fields[p.field] ?? url).setError(p.text);
    }
    const warns = problems.some((p) => p.field === 'url') ? [] : urlWarnings(v.url);
    urlWarn.textContent = warns.join(' ');
    urlWarn.hidden = warns.length === 0;
    size.textContent = `Metadata stored on-chain: ${new TextEncoder().encode(metadata).length} of ${LIMITS.MAX_METADATA_LEN} bytes: ${metadata}`;
    const bad = problems.length > 0 || !app.account;
    registerBtn.disabled = bad;
    stakeBtn.disabled = bad;
    chain.textContent = problems.length ? '' : chain.textContent;
    if (!problems.length) dryRun();
    return { v, metadata, problems };
  };
  for (const [key, f] of [['id', id], ['url', url], ['name', name]]) {
    f.input.addEventListener('input', () => {
      touched.add(key);
      validate();
    });
  }
  model.input.addEventListener('change', validate);

  const submit = (andStake) => {
    for (const k of ['id', 'url', 'name']) touched.add(k);
    const { v, metadata, problems } = validate();
    if (problems.length) return;
    const m = app.models.find((x) => x.id === v.model);
    // on success: an empty form for the next one, and the new provider's card
    const onDone = (r) => {
      if (r !== 'sent') return;
      Object.assign(form, { id: '', url: '', name: '' });
      touched.clear();
      app.openCard = v.id;
      location.hash = '#providers';
    };
    if (andStake) {
      ctx.act(`Register "${v.id}" and stake ${formatFunc(m.stake_amount)}`, (s) => ops.registerAndStake(s, v.id, v.model, metadata, { amount: m.stake_amount }), { onDone });
    } else {
      ctx.act(`Register "${v.id}" for model ${v.model}`, (s) => ops.register(s, v.id, v.model, metadata), { onDone });
    }
  };
  const f = h(
    'form',
    { class: 'panel', 'aria-labelledby': 'register-title', novalidate: true, onsubmit: (e) => { e.preventDefault(); submit(false); } },
    h('h2', { id: 'register-title' }, 'Register a provider'),
    app.account ? null : h('p', { class: 'warn' }, 'Choose an account first: the provider belongs to the account that registers it.'),
    id.wrap,
    model.wrap,
    url.wrap,
    urlWarn,
    name.wrap,
    size,
    chain,
    h('p', { class: 'hint' }, '"Register and stake" takes two signatures: first an approve (the model\'s pool may take exactly the stake requirement from this account), then the registration with the stake. The page checks first that the account holds the FUNC and the fees. The provider must be whitelisted, or the registry must whitelist automatically.'),
    h('div', { class: 'buttons' }, registerBtn, stakeBtn),
  );
  stakeBtn.addEventListener('click', () => submit(true));
  clear(main, f);
  validate();
}
