// Admin view, shown only to accounts holding a role: whitelist / jail, the scheduler's report,
// reward funding and boosts, pause, and any other message of the ABIs through a generated form.
import { formatFunc } from '../../../client/lib/codec.js';
import { messageFields, mutatingMessages, parseField } from '../../../client/lib/args.js';
import { LIMITS } from '../../../client/lib/rules.js';
import { h, clear, field, dl } from '../dom.js';

const st = { ids: '', jailId: '', jailEpochs: '10', model: null, epoch: '', total: '', totalShards: '', shards: '', fund: '', boostEpochs: '', boostAmount: '', contract: 'registry', message: '' };

const ids = (text) => text.split(/[\s,]+/).filter(Boolean);
function keep(f, key) {
  f.input.addEventListener('input', () => {
    st[key] = f.input.value;
  });
  return f;
}

export async function adminView(main, ctx) {
  const { app, ops, view } = ctx;
  const roles = app.roles;
  if (!roles?.any) {
    clear(main, h('p', {}, 'This account holds no role.'));
    return;
  }
  const sections = [];
  const held = Object.entries(roles.roles).map(([k, r]) => `${k}: ${r.join(', ')}`);
  sections.push(h('p', { class: 'hint', 'data-roles': '' }, `Roles of this account — ${held.join(' · ')}${roles.owner.length ? ` (owner of ${roles.owner.join(', ')})` : ''}`));

  // whitelist / jail
  if (view.holds(roles, 'provider_registry', 'Whitelister')) {
    const idf = keep(field('Provider ids (comma or space separated)', { name: 'admin-ids', value: st.ids, hint: `At most ${LIMITS.MAX_BATCH_SIZE} per transaction.` }), 'ids');
    const jid = keep(field('Provider id to jail or release', { name: 'admin-jail-id', value: st.jailId }), 'jailId');
    const jep = keep(field('Jail for epochs', { name: 'admin-jail-epochs', type: 'number', inputmode: 'numeric', value: st.jailEpochs }), 'jailEpochs');
    const { auto_whitelist: auto } = await view.loadRegistrySettings(app.suite);
    sections.push(
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'wl-title' },
        h('h3', { id: 'wl-title' }, 'Whitelist and jail'),
        idf.wrap,
        h(
          'div',
          { class: 'buttons' },
          h('button', { type: 'button', name: 'whitelist', onclick: () => ctx.act(`Whitelist ${ids(idf.input.value).join(', ')}`, (s) => ops.whitelist(s, ids(idf.input.value))) }, 'Whitelist'),
          h('button', { type: 'button', name: 'unwhitelist', onclick: () => ctx.act(`Remove ${ids(idf.input.value).join(', ')} from the whitelist`, (s) => ops.whitelist(s, ids(idf.input.value), { remove: true })) }, 'Remove from whitelist'),
        ),
        h('div', { class: 'row' }, jid.wrap, jep.wrap),
        h(
          'div',
          { class: 'buttons' },
          h('button', { type: 'button', name: 'jail', onclick: () => ctx.act(`Jail ${jid.input.value} for ${jep.input.value} epochs`, (s) => ops.jail(s, jid.input.value, Number(jep.input.value))) }, 'Jail'),
          h('button', { type: 'button', name: 'unjail', onclick: () => ctx.act(`Release ${jid.input.value} from jail`, (s) => ops.unjail(s, jid.input.value)) }, 'Release from jail'),
          view.capabilities(app.suite).releaseProvider
            ? h('button', { type: 'button', name: 'release-provider', onclick: () => ctx.act(`Release provider ${jid.input.value}: its stake back to its owner, its id freed`, (s) => ops.releaseProvider(s, jid.input.value)) }, 'Release provider (free the id)')
            : null,
        ),
        h(
          'p',
          {},
          `Automatic whitelist: ${auto === null ? 'unknown' : auto ? 'on' : 'off'} `,
          h('button', { type: 'button', name: 'toggle-auto', onclick: () => ctx.act('Toggle the automatic whitelist', (s) => ops.toggleAutoWhitelist(s)) }, auto ? 'Turn off' : 'Turn on'),
        ),
      ),
    );
  }

  // scheduler report
  const schedModels = app.models.filter((m) => view.holds(roles, `pool:${m.id}`, 'Scheduler'));
  if (schedModels.length) {
    if (!schedModels.some((m) => m.id === Number(st.model))) st.model = String(schedModels[0].id);
    const model = field('Model', { name: 'report-model', value: st.model, options: schedModels.map((m) => ({ value: m.id, label: `${m.id} · ${m.name}` })) });
    model.input.addEventListener('change', () => {
      st.model = model.input.value;
    });
    const epoch = keep(field('Epoch (ended, not yet claimable)', { name: 'report-epoch', type: 'number', inputmode: 'numeric', value: st.epoch || String(Math.max(1, app.clock.current_epoch - 1)) }), 'epoch');
    const total = keep(field('Reward total (FUNC)', { name: 'report-total', inputmode: 'decimal', value: st.total, hint: 'e.g. 100' }), 'total');
    const totalShards = keep(field('Total shards', { name: 'report-total-shards', type: 'number', inputmode: 'numeric', value: st.totalShards, hint: 'e.g. 10' }), 'totalShards');
    const shards = keep(field('Provider shards, one per line: id=shards', { name: 'report-shards', type: 'textarea', value: st.shards, hint: 'e.g. peer-1=6 and peer-2=4 on two lines' }), 'shards');
    const report = () => {
      // every field is needed: an empty one is an error in words, never a "0" sent by default
      for (const f of [epoch, total, totalShards, shards]) f.setError(null);
      let bad = false;
      const need = (f, ok, text) => {
        if (!ok) {
          f.setError(text);
          bad = true;
        }
      };
      need(epoch, /^\d+$/.test(epoch.input.value.trim()) && Number(epoch.input.value) >= 1, 'Which ended epoch: a whole number, 1 or more.');
      let amount = null;
      try {
        amount = total.input.value.trim() ? ctx.parseAmount(total.input.value.trim()) : null;
      } catch (e) {
        amount = null;
      }
      need(total, amount !== null, 'The epoch\'s reward total in FUNC, e.g. 100 (0 reports an empty epoch).');
      need(totalShards, /^\d+$/.test(totalShards.input.value.trim()), 'The epoch\'s total shards: a whole number.');
      let parsed = [];
      try {
        parsed = shards.input.value.split(/\n|,/).map((l) => l.trim()).filter(Boolean).map((l) => {
          const m = /^(.+?)\s*=\s*(\d+)$/.exec(l);
          if (!m) throw new Error(`"${l}" is not id=shards`);
          return [m[1], BigInt(m[2])];
        });
      } catch (e) {
        need(shards, false, e.message);
      }
      if (bad) return;
      ctx.act(`Report epoch ${epoch.input.value} of model ${model.input.value}: ${formatFunc(amount)} over ${totalShards.input.value} shards`, (s) =>
        ops.setEpochRewards(s, Number(model.input.value), Number(epoch.input.value), amount, BigInt(totalShards.input.value), parsed),
      );
    };
    sections.push(
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'sched-title' },
        h('h3', { id: 'sched-title' }, 'Scheduler report'),
        h('p', { class: 'hint' }, `Current epoch ${app.clock.current_epoch}. An ended epoch can be reported, and corrected, until it is final; this model's pool is final through epoch ${app.frontiers?.[Number(st.model)] ?? '?'}.`),
        h('div', { class: 'row' }, model.wrap, epoch.wrap),
        h('div', { class: 'row' }, total.wrap, totalShards.wrap),
        shards.wrap,
        h('div', { class: 'buttons' }, h('button', { type: 'button', class: 'primary', name: 'report', onclick: report }, 'Report epoch')),
        view.capabilities(app.suite).closeEpochs ? closeForm(ctx, model) : null,
      ),
    );
  }

  // funding and boosts
  if (app.models.length) {
    if (!app.models.some((m) => m.id === Number(st.model))) st.model = String(app.models[0].id);
    const fm = field('Model', { name: 'fund-model', value: st.model, options: app.models.map((m) => ({ value: m.id, label: `${m.id} · ${m.name}` })) });
    fm.input.addEventListener('change', () => {
      st.model = fm.input.value;
      adminView(main, ctx);
    });
    const funding = await view.loadFunding(app.suite, Number(fm.input.value));
    const fund = keep(field('Fund rewards (FUNC)', { name: 'fund-amount', inputmode: 'decimal', value: st.fund, hint: 'e.g. 1000' }), 'fund');
    const be = keep(field('Boost: epochs', { name: 'boost-epochs', type: 'number', inputmode: 'numeric', value: st.boostEpochs, hint: `e.g. 5; 1 to ${LIMITS.MAX_BOOST_EPOCHS}; the amount must divide evenly.` }), 'boostEpochs');
    const ba = keep(field('Boost: amount (FUNC)', { name: 'boost-amount', inputmode: 'decimal', value: st.boostAmount, hint: 'e.g. 50' }), 'boostAmount');
    sections.push(
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'fund-title' },
        h('h3', { id: 'fund-title' }, 'Reward funding and boosts'),
        fm.wrap,
        funding
          ? dl([
              ['Funds held for rewards', h('span', { 'data-funding-balance': funding.balance.toString() }, formatFunc(funding.balance))],
              ['Reserved for reported epochs', formatFunc(funding.reserved)],
              ['Unreserved', formatFunc(funding.unreserved)],
            ])
          : null,
        h('div', { class: 'row' }, fund.wrap, h('button', { type: 'button', name: 'fund', onclick: () => { const a = ctx.parseAmount(fund.input.value); ctx.act(`Fund the model ${fm.input.value} pool with ${formatFunc(a)}`, (s) => ops.fundRewards(s, Number(fm.input.value), a)); } }, 'Fund')),
        withdrawals(ctx, Number(fm.input.value)),
        h('div', { class: 'row' }, be.wrap, ba.wrap, h('button', { type: 'button', name: 'boost', onclick: () => { const a = ctx.parseAmount(ba.input.value); ctx.act(`Boost the model ${fm.input.value} pool: ${formatFunc(a)} over ${be.input.value} epochs`, (s) => ops.boostRewards(s, Number(fm.input.value), Number(be.input.value), a)); } }, 'Boost')),
      ),
    );
  }

  // pause
  const states = await view.loadPauseStates(app.suite, app.models);
  const pausable = states.filter((x) => view.holds(roles, x.key, 'Pauser'));
  if (pausable.length) {
    sections.push(
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'pause-title' },
        h('h3', { id: 'pause-title' }, 'Pause'),
        h(
          'ul',
          { class: 'plain' },
          pausable.map((x) =>
            h(
              'li',
              { 'data-pause': x.key },
              `${x.key}: ${x.paused ? 'paused' : 'running'} `,
              h('button', { type: 'button', onclick: () => ctx.act(`${x.paused ? 'Unpause' : 'Pause'} ${x.key}`, (s) => ops.pause(s, [x.key], { unpause: x.paused })) }, x.paused ? 'Unpause' : 'Pause'),
            ),
          ),
        ),
      ),
    );
  }

  sections.push(anyMessage(ctx));
  clear(main, h('section', { 'aria-labelledby': 'admin-title' }, h('h2', { id: 'admin-title' }, 'Admin'), sections));
}

/** Scheduler: close the ended epochs nobody has data for as empty, so claims can pass them. */
function closeForm(ctx, model) {
  const { app, ops } = ctx;
  const through = field('Close unreported epochs through', { name: 'close-through', type: 'number', inputmode: 'numeric', value: String(Math.max(1, app.clock.current_epoch - 1)), hint: 'Every ended epoch up to this one without a report becomes an empty report (no reward); until it is final it can still be reported. Claims never pass an unreported epoch in which providers were staked.' });
  return h(
    'div',
    { class: 'row' },
    through.wrap,
    h('button', {
      type: 'button',
      name: 'close-epochs',
      onclick: () => {
        const t = Number(through.input.value);
        through.setError(Number.isInteger(t) && t >= 1 ? null : 'An ended epoch: a whole number, 1 or more.');
        if (Number.isInteger(t) && t >= 1) ctx.act(`Close the unreported epochs of model ${model.input.value} through epoch ${t} as empty`, (s) => ops.closeEpochs(s, Number(model.input.value), t));
      },
    }, 'Close as empty'),
  );
}

/** Pool owner: withdraw unreserved reward funds or excess FUNC (where the pool has these messages). */
function withdrawals(ctx, modelId) {
  const { app, ops, view } = ctx;
  const caps = view.capabilities(app.suite);
  if (!app.roles?.owner.includes(`pool:${modelId}`) || !(caps.withdrawUnreserved || caps.withdrawExcess)) return null;
  const to = field('Withdraw to (address or //Dev name)', { name: 'withdraw-to', value: app.account?.address ?? '' });
  const amount = field('Withdraw amount (FUNC)', { name: 'withdraw-amount', inputmode: 'decimal', hint: 'e.g. 100' });
  const target = () => {
    const t = to.input.value.trim();
    return t.startsWith('//') ? ctx.devAddress(t) : t;
  };
  return h(
    'div',
    {},
    h('div', { class: 'row' }, to.wrap, amount.wrap),
    h(
      'div',
      { class: 'buttons' },
      caps.withdrawUnreserved
        ? h('button', { type: 'button', name: 'withdraw-unreserved', onclick: () => { const a = ctx.parseAmount(amount.input.value); ctx.act(`Withdraw ${formatFunc(a)} of unreserved reward funds`, (s) => ops.withdrawUnreserved(s, modelId, target(), a)); } }, 'Withdraw unreserved funds')
        : null,
      caps.withdrawExcess
        ? h('button', { type: 'button', name: 'withdraw-excess', onclick: () => { const a = ctx.parseAmount(amount.input.value); ctx.act(`Withdraw ${formatFunc(a)} of excess FUNC`, (s) => ops.withdrawExcess(s, modelId, target(), a)); } }, 'Withdraw excess FUNC')
        : null,
    ),
  );
}

/** Any mutating message of any suite contract, with fields generated from its ABI arguments. */
function anyMessage(ctx) {
  const { app, ops } = ctx;
  const contracts = [['registry', 'provider_registry'], ['router', 'model_router'], ['epoch', 'epoch_controller'], ['token', 'func_token'], ...app.models.map((m) => [`pool:${m.id}`, 'provider_staking'])];
  const c = field('Contract', { name: 'any-contract', value: st.contract, options: contracts.map(([k, n]) => ({ value: k, label: k.startsWith('pool:') ? `${k} (provider_staking)` : `${k} (${n})` })) });
  const box = h('div', {});
  const draw = () => {
    st.contract = c.input.value;
    const abiName = contracts.find(([k]) => k === st.contract)[1];
    const handle = { abi: app.suite.abis[abiName] };
    const names = mutatingMessages(handle);
    if (!names.includes(st.message)) st.message = names[0];
    const m = field('Message', { name: 'any-message', value: st.message, options: names.map((n) => ({ value: n, label: n })) });
    m.input.addEventListener('change', () => {
      st.message = m.input.value;
      draw();
    });
    const msg = handle.abi.messages.find((x) => x.identifier === st.message);
    const fields = messageFields(msg).map((f) => ({ f, ui: field(`${f.name} (${f.type})`, f.kind === 'enum' ? { options: f.options.map((o) => ({ value: o, label: o })) } : { type: f.kind === 'bool' ? 'checkbox' : 'text', hint: hintFor(f.kind) }) }));
    const err = h('p', { class: 'field-error', role: 'alert', hidden: true });
    clear(
      box,
      m.wrap,
      msg.docs?.length ? h('p', { class: 'hint' }, msg.docs.join(' ')) : null,
      fields.map((x) => x.ui.wrap),
      err,
      h('button', {
        type: 'button',
        name: 'any-send',
        onclick: () => {
          let args;
          try {
            args = fields.map(({ f, ui }) => parseField(f, f.kind === 'bool' ? ui.input.checked : ui.input.value, { devAddress: ctx.devAddress }));
            err.hidden = true;
          } catch (e) {
            err.textContent = e.message;
            err.hidden = false;
            return;
          }
          ctx.act(`${st.contract}.${st.message}`, (s) => ops.callMessage(s, st.contract, st.message, args));
        },
      }, 'Dry-run and send'),
    );
  };
  c.input.addEventListener('change', draw);
  draw();
  return h('details', { class: 'panel' }, h('summary', {}, h('h3', { style: 'display:inline' }, 'Any message (from the ABI)')), h('p', { class: 'hint' }, 'Every state-changing message of the contracts as built, including ones this page has no form for.'), c.wrap, box);
}

function hintFor(kind) {
  return {
    amount: 'FUNC, e.g. 1000 or 0.5',
    bytes: 'text, sent as its UTF-8 bytes',
    'bytes-list': 'comma-separated ids',
    account: 'SS58 address or //Dev name',
    'account-list': 'comma-separated addresses',
    int: 'a whole number',
    hex: '0x…',
    json: 'JSON',
  }[kind];
}
