// History: the account's (or one provider's) stakes, unstakes, claims and the reports of its
// pools, per block and epoch, from the suite's events (client/lib/history.js, as `func history`).
import { loadHistory, historyTotals, KIND_WORDS } from '../../../client/lib/history.js';
import { formatFunc } from '../../../client/lib/codec.js';
import { h, clear, field } from '../dom.js';

const st = { who: '', span: 300, from: null, to: null, cache: null };

export async function historyView(main, ctx) {
  const { app, view } = ctx;
  if (!app.account) {
    clear(main, h('section', { class: 'panel' }, h('h2', {}, 'History'), h('p', {}, 'Choose an account to see its history.')));
    return;
  }
  const names = await view.providerIdsOf(app.suite, app.account.address);
  const who = field('Whose history', {
    name: 'history-of',
    value: st.who,
    options: [{ value: '', label: 'This account (all its providers)' }, ...names.map((n) => ({ value: n, label: `Provider ${n}` }))],
  });
  const best = app.clock.block;
  const first = Math.max(1, Number(app.deployment?.deployedAt?.block ?? 1));
  if (st.fromKey !== `${app.account.address}|${st.who}`) st.from = null; // another question: the latest blocks again
  const to = st.to === null ? best : Math.min(st.to, best);
  const from = Math.max(first, st.from === null ? to - st.span + 1 : st.from);
  st.from = from; // new blocks extend the range instead of moving it (and are read alone)
  st.fromKey = `${app.account.address}|${st.who}`;
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' }, `Reading blocks ${from}–${to}…`);
  const section = h(
    'section',
    { 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, 'History'),
    h('p', { class: 'hint' }, 'Read from the contracts\' events, block by block. Blocks older than about 256 need a node that keeps every state (--state-pruning archive); a public network is read through an indexer instead.'),
    h('div', { class: 'row' }, who.wrap),
    status,
  );
  clear(main, section);
  who.input.addEventListener('change', () => {
    st.who = who.input.value;
    historyView(main, ctx);
  });
  // the same question over a longer range: read only the blocks not read yet (a new block redraws the view)
  const key = `${app.account.address}|${st.who}`;
  const read = (a, b) => loadHistory(app.suite, { account: st.who ? null : app.account.address, provider: st.who || null, fromBlock: a, toBlock: b, concurrency: 12 });
  let result;
  try {
    const c = st.cache;
    if (c && c.key === key && c.result.from === from && c.result.to === to) result = c.result;
    else if (c && c.key === key && c.result.from === from && c.result.to < to) {
      const more = await read(c.result.to + 1, to);
      result = { from, to, entries: [...c.result.entries, ...more.entries], blocks_read: c.result.blocks_read + more.blocks_read };
    } else result = await read(from, to);
    st.cache = { key, result };
  } catch (e) {
    status.className = 'error';
    status.textContent = view.plainError(e, { url: app.url }).text;
    return;
  }
  const t = historyTotals(result.entries);
  status.textContent = `Blocks ${result.from}–${result.to}: ${result.entries.length} event${result.entries.length === 1 ? '' : 's'}. Staked ${formatFunc(t.staked)}, unstaked ${formatFunc(t.unstaked)}, claimed ${formatFunc(t.claimed)}, ${t.reports} report${t.reports === 1 ? '' : 's'}.`;
  status.dataset.events = String(result.entries.length);
  const rows = [...result.entries].reverse();
  section.append(
    rows.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'history' },
            h('caption', {}, 'Newest first'),
            h('thead', {}, h('tr', {}, ['Block', 'Time (UTC)', 'What', 'Provider', 'Amount'].map((x) => h('th', { scope: 'col' }, x)))),
            h(
              'tbody',
              {},
              rows.map((e) =>
                h(
                  'tr',
                  { 'data-kind': e.kind, 'data-block': String(e.block) },
                  h('th', { scope: 'row' }, `#${e.block}`),
                  h('td', {}, e.time ? e.time.slice(11, 19) : '—'),
                  h('td', { class: 'state' }, e.text),
                  h('td', {}, e.provider ?? (e.model_id !== undefined ? `model ${e.model_id} pool` : '')),
                  h('td', { class: 'num' }, e.amount !== undefined ? formatFunc(e.amount) : e.total !== undefined ? formatFunc(e.total) : ''),
                ),
              ),
            ),
          ),
        )
      : h('p', {}, `Nothing ${Object.values(KIND_WORDS).join(', ')} in these blocks.`),
    h(
      'div',
      { class: 'buttons' },
      from > first
        ? h('button', { type: 'button', name: 'history-earlier', onclick: () => { st.from = Math.max(first, from - st.span); st.to = to; historyView(main, ctx); } }, `Read ${Math.min(st.span, from - first)} earlier blocks`)
        : h('span', { class: 'hint' }, 'From the deployment on.'),
      h('button', { type: 'button', name: 'history-latest', onclick: () => { st.from = null; st.to = null; historyView(main, ctx); } }, 'Latest blocks'),
    ),
  );
}
