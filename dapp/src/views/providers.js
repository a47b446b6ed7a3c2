// My providers: the account overview (one claim button), then one card per id with a checklist
// of every condition of an active provider (the next step for each failing one) and its actions.
import { buildMetadata } from '../../../client/lib/ops.js';
import { checkMetadata } from '../../../client/lib/rules.js';
import { formatFunc } from '../../../client/lib/codec.js';
import { h, clear, field, dl, shortAddress } from '../dom.js';
import { glossary, term } from '../words.js';
import { overviewPanel } from './overview.js';

export async function providersView(main, ctx) {
  const { app, ops, view } = ctx;
  if (!app.account) {
    clear(main, h('section', { class: 'panel' }, h('h2', {}, 'My providers'), h('p', {}, 'Choose an account above (an extension, a dev account or a watched address) to see its providers.')));
    return;
  }
  const [list, overview] = await Promise.all([view.loadProviders(app.suite, app.account.address, { clock: app.clock, models: app.models }), overviewPanel(ctx)]);
  const cards = list.map((p) => card(p, ctx));
  clear(
    main,
    overview,
    h(
      'section',
      { 'aria-labelledby': 'providers-title' },
      h('h2', { id: 'providers-title' }, `My providers (${list.length})`),
      list.length ? null : h('p', {}, 'This account has registered no provider yet. ', h('a', { href: '#register' }, 'Register one.')),
      h('div', { class: 'cards' }, cards),
    ),
    glossary(),
  );
  if (app.openCard) {
    const c = main.querySelector(`[data-provider="${CSS.escape(app.openCard)}"] h3`);
    app.openCard = null;
    if (c) {
      c.setAttribute('tabindex', '-1');
      // once this drawing is on the page
      setTimeout(() => {
        c.scrollIntoView({ block: 'center' });
        c.focus();
      }, 0);
    }
  }
}

function card(p, ctx) {
  const { app, ops, view } = ctx;
  const title = `${p.id}`;
  const badge = h('span', { class: `badge ${p.active ? 'active' : 'inactive'}`, 'data-status': p.active ? 'active' : 'inactive' }, p.active ? 'Active' : 'Inactive');
  const checks = view.checklist(p, app.clock);
  const failing = checks.filter((c) => !c.ok).length;
  const problems = h(
    'div',
    { class: 'checklist-wrap' },
    h('p', { class: failing ? 'warn' : 'ok' }, failing ? `Earns rewards once every condition holds: ${failing} of ${checks.length} still missing.` : `Active: all ${checks.length} conditions hold, it earns rewards.`),
    h(
      'ul',
      { class: 'checklist', 'aria-label': 'Conditions of an active provider' },
      checks.map((c) =>
        h(
          'li',
          { class: c.ok ? 'ok' : 'bad', 'data-condition': c.condition, 'data-ok': String(c.ok) },
          h('span', { class: 'mark', 'aria-hidden': 'true' }, c.ok ? '✓' : '✗'),
          ' ',
          h('span', { class: 'sr-only' }, c.ok ? 'holds: ' : 'missing: '),
          c.label,
          c.next ? h('span', { class: 'next' }, ` — ${c.next}`) : null,
        ),
      ),
    ),
  );
  const lockText = !p.lock.staked
    ? 'nothing staked'
    : p.lock.unlocked
      ? `unlocked since epoch ${p.lock.unlock_epoch}`
      : `unlocks in epoch ${p.lock.unlock_epoch}${p.lock.eta?.about ? `, ${p.lock.eta.about}` : ''} (${p.lock.eta?.blocks ?? '?'} blocks)`;
  const actions = [];
  // stake / top up
  if (p.missing > 0n) {
    const verb = p.staked === 0n ? 'Stake' : 'Top up';
    actions.push(
      h('button', {
        type: 'button',
        class: 'primary',
        'data-action': 'stake',
        onclick: () => ctx.act(`${verb} ${formatFunc(p.missing)} for "${p.id}"`, (s) => ops.stake(s, p.id, { amount: p.missing })),
      }, `${verb} ${formatFunc(p.missing)}`),
    );
  }
  // deactivate (only an active provider: an inactive one earns nothing anyway) / reactivate
  if (p.info.deactivated) {
    actions.push(h('button', { type: 'button', 'data-action': 'reactivate', onclick: () => ctx.act(`Reactivate "${p.id}"`, (s) => ops.reactivate(s, p.id)) }, 'Reactivate'));
  } else if (p.active) {
    actions.push(h('button', { type: 'button', 'data-action': 'deactivate', onclick: () => ctx.act(`Deactivate "${p.id}": gateways stop routing to it and it stops earning`, (s) => ops.deactivate(s, p.id)) }, 'Deactivate'));
  }
  // unstake (disabled until the lock has passed)
  if (p.lock.staked) {
    const hintId = `lock-${p.id.replace(/[^a-z0-9]/gi, '_')}`;
    actions.push(
      h('button', {
        type: 'button',
        'data-action': 'unstake',
        disabled: !p.lock.unlocked,
        'aria-describedby': hintId,
        onclick: () => ctx.act(`Unstake "${p.id}": ${formatFunc(p.staked)} back to this account; it stops earning at once`, (s) => ops.unstake(s, p.id)),
      }, 'Unstake'),
      h('span', { class: 'hint', id: hintId, 'data-lock': '' }, p.lock.unlocked ? `${formatFunc(p.staked)} can be unstaked` : lockText),
    );
  }
  // deregister: frees the id once nothing is staked (where the registry has it)
  if (view.capabilities(app.suite).deregister && !p.lock.staked) {
    actions.push(
      h('button', { type: 'button', 'data-action': 'deregister', onclick: () => ctx.act(`Deregister "${p.id}" (its earned rewards stay claimable)`, (s) => ops.deregister(s, p.id)) }, 'Deregister'),
    );
  }
  // update metadata
  const url = field('Node URL', { value: p.url ?? '', type: 'url', inputmode: 'url' });
  const name = field('Name (optional)', { value: p.name ?? '' });
  const save = h('button', { type: 'submit' }, 'Update metadata');
  const check = () => {
    const m = buildMetadata({ url: url.input.value, name: name.input.value || undefined });
    const probs = checkMetadata(m);
    url.setError(probs.find((x) => x.field !== 'name')?.text ?? null);
    name.setError(probs.find((x) => x.field === 'name')?.text ?? null);
    save.disabled = probs.length > 0;
    return { m, probs };
  };
  url.input.addEventListener('input', check);
  name.input.addEventListener('input', check);
  const meta = h(
    'details',
    { class: 'meta-edit' },
    h('summary', {}, 'Update metadata'),
    h('form', {
      onsubmit: (e) => {
        e.preventDefault();
        const { m, probs } = check();
        if (!probs.length) ctx.act(`Update the metadata of "${p.id}"`, (s) => ops.updateMetadata(s, p.id, m));
      },
    }, url.wrap, name.wrap, save),
  );
  return h(
    'article',
    { class: 'card', 'data-provider': p.id, 'aria-labelledby': `card-${p.id}` },
    h('h3', { id: `card-${p.id}` }, title, ' ', badge),
    dl([
      ['Model', `${p.model_id} · ${p.model_name ?? ''}`],
      ['URL', p.url ?? '—'],
      p.name ? ['Name', p.name] : null,
      ['Stake', h('span', { 'data-staked': p.staked.toString() }, `${formatFunc(p.staked)} of ${formatFunc(p.required)}`)],
      [term('lock', 'Lock'), lockText],
      ['Pending rewards', p.pending_rewards === null ? '—' : formatFunc(p.pending_rewards)],
      ['Claimed through epoch', String(p.claimed_through)],
      [term('pool', 'Pool'), h('code', { title: p.pool }, shortAddress(p.pool))],
    ]),
    problems,
    h('div', { class: 'buttons actions' }, actions),
    h('p', {}, h('a', { href: `#rewards`, onclick: () => { ctx.app.rewardsFor = p.id; } }, 'Rewards and claims')),
    meta,
  );
}
