// Rewards: the account overview (one claim button for everything), then per provider a chart and
// a table per epoch (total, boost, my shards, my share, state) and a claim over a chosen range.
import { formatFunc } from '../../../client/lib/codec.js';
import { h, clear, field } from '../dom.js';
import { rewardChart } from '../chart.js';
import { glossary, term } from '../words.js';
import { overviewPanel } from './overview.js';

export async function rewardsView(main, ctx) {
  const { app, ops, view } = ctx;
  if (!app.account) {
    clear(main, h('section', { class: 'panel' }, h('h2', {}, 'Rewards'), h('p', {}, 'Choose an account to see its rewards.')));
    return;
  }
  const names = await view.providerIdsOf(app.suite, app.account.address);
  if (!names.length) {
    clear(main, h('section', { class: 'panel' }, h('h2', {}, 'Rewards'), h('p', {}, 'No provider yet. ', h('a', { href: '#register' }, 'Register one.'))));
    return;
  }
  if (!names.includes(app.rewardsFor)) app.rewardsFor = names[0];
  const pick = field('Provider', { name: 'rewards-provider', value: app.rewardsFor, options: names.map((n) => ({ value: n, label: n })) });
  pick.input.addEventListener('change', () => {
    app.rewardsFor = pick.input.value;
    rewardsView(main, ctx);
  });
  const [r, overview] = await Promise.all([view.loadRewardRows(app.suite, app.rewardsFor, { clock: app.clock }), overviewPanel(ctx)]);
  const range = view.defaultClaimRange(r.claimed_through, r.claimable_through, r.registered_epoch);
  const from = field('From epoch', { name: 'claim-from', type: 'number', inputmode: 'numeric', value: range.empty ? '' : range.from });
  const to = field('To epoch', { name: 'claim-to', type: 'number', inputmode: 'numeric', value: range.empty ? '' : range.to });
  const claimBtn = h('button', { type: 'submit', class: 'primary', name: 'claim-one', disabled: range.empty }, `Claim ${r.id}`);
  const checkRange = () => {
    const f = Number(from.input.value);
    const t = Number(to.input.value);
    from.setError(null);
    to.setError(null);
    if (!from.input.value || !Number.isInteger(f) || f < 1) from.setError('An epoch number, 1 or more.');
    else if (!to.input.value || !Number.isInteger(t) || t < f) to.setError(`An epoch number, at least ${f}.`);
    else if (t > r.claimable_through) to.setError(`Epoch ${t} is not final yet: claimable through epoch ${r.claimable_through}.`);
    const bad = Boolean(from.error.textContent || to.error.textContent);
    claimBtn.disabled = bad;
    return !bad;
  };
  from.input.addEventListener('input', checkRange);
  to.input.addEventListener('input', checkRange);
  const table = h(
    'table',
    { class: 'rewards', 'aria-describedby': 'rewards-caption' },
    h('caption', { id: 'rewards-caption' }, `Rewards of ${r.id} per epoch (ended epochs since its registration)`),
    h(
      'thead',
      {},
      h('tr', {}, [['Epoch'], ['Epoch total', 'opt'], ['Boost', 'opt'], ['Total shards', 'opt'], ['My shards'], ['My share'], ['State', 'state']].map(([x, c]) => h('th', { scope: 'col', class: c ?? null }, x))),
    ),
    h(
      'tbody',
      {},
      r.rows.map((row) =>
        h(
          'tr',
          { 'data-epoch': String(row.epoch), 'data-state': row.state },
          h('th', { scope: 'row' }, String(row.epoch)),
          h('td', { class: 'opt num' }, row.total === null ? '—' : formatFunc(row.total)),
          h('td', { class: 'opt num' }, formatFunc(row.boost)),
          h('td', { class: 'opt num' }, row.total_shards === null ? '—' : row.total_shards.toLocaleString('en-US')),
          h('td', { class: 'num' }, row.shards.toLocaleString('en-US')),
          h('td', { class: 'num', 'data-share': row.share.toString() }, formatFunc(row.share)),
          h('td', { class: 'state' }, row.state_text, row.claimable_from_epoch ? ` (claimable in epoch ${row.claimable_from_epoch})` : ''),
        ),
      ),
    ),
  );
  clear(
    main,
    overview,
    h(
      'section',
      { 'aria-labelledby': 'rewards-title' },
      h('h2', { id: 'rewards-title' }, 'Rewards per provider'),
      pick.wrap,
      h(
        'p',
        { class: 'pending' },
        'Ready to claim: ',
        h('strong', { 'data-pending': r.pending.toString() }, formatFunc(r.pending)),
        ` · claimed through epoch ${r.claimed_through || 'none yet'} · `,
        term('final', 'final'),
        ` through epoch ${r.claimable_through || 'none yet'}`,
      ),
      rewardChart(r.rows),
      h('div', { class: 'table-wrap' }, table),
      h(
        'form',
        {
          class: 'panel claim',
          'aria-labelledby': 'claim-title',
          novalidate: true,
          onsubmit: (e) => {
            e.preventDefault();
            if (!checkRange()) return;
            const f = Number(from.input.value);
            const t = Number(to.input.value);
            ctx.act(`Claim "${r.id}", epochs ${f}–${t}`, (s) => ops.claim(s, r.id, { from: f, to: t }));
          },
        },
        h('h3', { id: 'claim-title' }, `Claim ${r.id} over a range`),
        h(
          'p',
          { class: 'hint', 'data-claim-range': `${range.from}-${range.to}` },
          range.empty
            ? `Nothing to claim for ${r.id} now: its next unclaimed epoch is ${range.from}; rewards are claimable through epoch ${r.claimable_through || 'none yet'}.`
            : `Epochs in order, paid to this account. First unclaimed epoch: ${range.from}; claimable through epoch ${range.to}.`,
        ),
        h('div', { class: 'row' }, from.wrap, to.wrap),
        h('div', { class: 'buttons' }, claimBtn),
      ),
    ),
    glossary(),
  );
}
