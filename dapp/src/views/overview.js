// The account overview: total staked, pending across all providers, what is locked, and one
// "Claim N FUNC" button (shown only when N > 0) whose result lists every provider's outcome.
import { formatFunc } from '../../../client/lib/codec.js';
import { h, dl } from '../dom.js';
import { term } from '../words.js';

export async function overviewPanel(ctx) {
  const { app, ops, view } = ctx;
  const o = await view.loadOverview(app.suite, app.account.address, { clock: app.clock, models: app.models });
  const lockText = o.locked === 0n
    ? 'nothing locked'
    : `${formatFunc(o.locked)} locked${o.next_unlock ? `, the first part unlocks in epoch ${o.next_unlock.epoch}${o.next_unlock.eta?.about ? ` (${o.next_unlock.eta.about})` : ''}` : ''}`;
  const claim = o.claim;
  const button = claim
    ? h(
        'button',
        {
          type: 'button',
          class: 'primary',
          name: 'claim-everything',
          'data-claim-amount': claim.amount.toString(),
          onclick: () =>
            ctx.act(`Claim ${formatFunc(claim.amount)} (every provider, epochs ${claim.from}–${claim.to})`, (s) => ops.claimCluster(s, { from: claim.from, to: claim.to }), {
              resultLines: (value) => {
                const lines = view.clusterLines(value).map((l) => ({ ...l, text: `${l.id}: ${l.ok ? 'claimed' : l.text}` }));
                const total = view.clusterTotal(value);
                return total === null ? lines : [...lines, { ok: total > 0n, text: `total: ${formatFunc(total)}` }];
              },
            }),
        },
        `Claim ${formatFunc(claim.amount)}`,
      )
    : null;
  return h(
    'section',
    { class: 'panel overview', 'aria-labelledby': 'overview-title', 'data-overview': '' },
    h('h2', { id: 'overview-title' }, 'Overview'),
    dl([
      ['Providers', String(o.providers.length)],
      ['Total staked', h('span', { 'data-total-staked': o.total_staked.toString() }, formatFunc(o.total_staked))],
      [term('lock', 'Locked'), h('span', { 'data-locked': o.locked.toString() }, lockText)],
      ['Can be unstaked now', h('span', { 'data-unlocked': o.unlocked.toString() }, formatFunc(o.unlocked))],
      ['Rewards ready to claim', h('strong', { 'data-total-pending': o.total_pending.toString() }, formatFunc(o.total_pending))],
    ]),
    claim
      ? [
          h('div', { class: 'buttons' }, button),
          h(
            'p',
            { class: 'hint', 'data-claim-plan': '' },
            `${claim.providers.length} provider${claim.providers.length === 1 ? ' has' : 's have'} rewards ready (${claim.providers.join(', ')}). One claim covers every provider of this account, a page of providers per transaction: the dialog shows how many transactions before you sign, and lists every provider's outcome.`,
          ),
        ]
      : h('p', { class: 'hint', 'data-nothing-to-claim': '' }, o.providers.length ? 'No reward is ready to claim now: rewards become claimable once their epoch is final.' : 'No provider yet.'),
  );
}
