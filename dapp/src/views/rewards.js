// Rewards: a chart and a table per epoch (total, boost, my shards, my share, state), the pending
// total, a claim of one provider over a chosen range and the cluster claim of all providers.
import { formatFunc } from '../../../client/lib/codec.js';
import { h, clear, field } from '../dom.js';
import { rewardChart } from '../chart.js';

export async function rewardsView(main, ctx) {
  const { app, ops, view } = ctx;
  if (!app.account) {
    clear(main, h('section', { class: 'panel' }, h('h2', {}, 'Rewards'), h('p', {}, 'Choose an account to see its rewards.')));
    return;
  }
  const names = await view.providerIdsOf(app.suite, app.account.address);
  if (!names.length) {
    clear(main, h('section', { class: 'panel' }, h('h2', {}, 'Rewards'), h('p', {}, 'No provider yet.')));
    return;
  }
  if (!names.includes(app.rewardsFor)) app.rewardsFor = names[0];
  const pick = field('Provider', { name: 'rewards-provider', value: app.rewardsFor, options: names.map((n) => ({ value: n, label: n })) });
  pick.input.addEventListener('change', () => {
    app.rewardsFor = pick.input.value;
    rewardsView(main, ctx);
  });
  const r = await view.loadRewardRows(app.suite, app.rewardsFor, { clock: app.clock });
  const range = view.defaultClaimRange(r.claimed_through, app.clock);
  const from = field('From epoch', { name: 'claim-from', type: 'number', inputmode: 'numeric', value: range.from });
  const to = field('To epoch', { name: 'claim-to', type: 'number', inputmode: 'numeric', value: range.to });
  const cfrom = field('Cluster claim from epoch', { name: 'cluster-from', type: 'number', inputmode: 'numeric', value: 1 });
  const cto = field('Cluster claim to epoch', { name: 'cluster-to', type: 'number', inputmode: 'numeric', value: app.clock.last_claimable_epoch });
  const epochs = () => ({ from: Number(from.input.value), to: Number(to.input.value) });
  const table = h(
    'table',
    { class: 'rewards', 'aria-describedby': 'rewards-caption' },
    h('caption', { id: 'rewards-caption' }, `Rewards of ${r.id} per epoch (ended epochs since its registration)`),
    h('thead', {}, h('tr', {}, ['Epoch', 'Epoch total', 'Boost', 'Total shards', 'My shards', 'My share', 'State'].map((x) => h('th', { scope: 'col' }, x)))),
    h(
      'tbody',
      {},
      r.rows.map((row) =>
        h(
          'tr',
          { 'data-epoch': String(row.epoch), 'data-state': row.state },
          h('th', { scope: 'row' }, String(row.epoch)),
          h('td', {}, row.total === null ? '—' : formatFunc(row.total)),
          h('td', {}, formatFunc(row.boost)),
          h('td', {}, row.total_shards === null ? '—' : row.total_shards.toString()),
          h('td', {}, row.shards.toString()),
          h('td', { 'data-share': row.share.toString() }, formatFunc(row.share)),
          h('td', {}, row.state_text, row.claimable_from_epoch ? ` (claimable in epoch ${row.claimable_from_epoch})` : ''),
        ),
      ),
    ),
  );
  clear(
    main,
    h(
      'section',
      { 'aria-labelledby': 'rewards-title' },
      h('h2', { id: 'rewards-title' }, 'Rewards'),
      pick.wrap,
      h('p', { class: 'pending' }, 'Pending (claimable now): ', h('strong', { 'data-pending': r.pending.toString() }, formatFunc(r.pending)), ` · claimed through epoch ${r.claimed_through}`),
      rewardChart(r.rows),
      h('div', { class: 'table-wrap' }, table),
      h(
        'form',
        {
          class: 'panel claim',
          'aria-labelledby': 'claim-title',
          onsubmit: (e) => {
            e.preventDefault();
            const { from: f, to: t } = epochs();
            ctx.act(`Claim "${r.id}" epochs ${f}–${t}`, (s) => ops.claim(s, r.id, { from: f, to: t }));
          },
        },
        h('h3', { id: 'claim-title' }, `Claim ${r.id}`),
        h('p', { class: 'hint' }, `In epoch order, to the owner. First unclaimed epoch: ${range.from}; last claimable epoch: ${app.clock.last_claimable_epoch || 'none yet'}.`),
        h('div', { class: 'row' }, from.wrap, to.wrap),
        h(
          'div',
          { class: 'buttons' },
          h('button', { type: 'submit', class: 'primary', name: 'claim-one' }, `Claim ${r.id}`),
        ),
      ),
      h(
        'form',
        {
          class: 'panel claim',
          'aria-labelledby': 'cluster-title',
          onsubmit: (e) => {
            e.preventDefault();
            const f = Number(cfrom.input.value);
            const t = Number(cto.input.value);
            ctx.act(`Claim all providers, epochs ${f}–${t} (cluster claim)`, (s) => ops.claimCluster(s, { from: f, to: t }), {
              resultLines: (value) => {
                const lines = view.clusterLines(value).map((l) => ({ ...l, text: `${l.id}: ${l.text}` }));
                const total = view.clusterTotal(value);
                return total === null ? lines : [...lines, { ok: true, text: `total: ${formatFunc(total)}` }];
              },
            });
          },
        },
        h('h3', { id: 'cluster-title' }, 'Claim all providers (cluster claim)'),
        h('p', { class: 'hint' }, `Every provider of this account (${names.length}) over one range, in one transaction; one line per provider: succeeded, or why not.`),
        h('div', { class: 'row' }, cfrom.wrap, cto.wrap),
        h('div', { class: 'buttons' }, h('button', { type: 'submit', name: 'claim-all' }, 'Claim all providers')),
      ),
    ),
  );
}
