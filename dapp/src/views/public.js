// Public views (no account needed): the models, and a model's active providers paged the way a
// gateway reads them.
import { formatFunc } from '../../../client/lib/codec.js';
import { LIMITS } from '../../../client/lib/rules.js';
import { h, clear, field, shortAddress } from '../dom.js';

export async function modelsView(main, ctx) {
  const { app } = ctx;
  clear(
    main,
    h(
      'section',
      { 'aria-labelledby': 'models-title' },
      h('h2', { id: 'models-title' }, `Models (${app.models.length})`),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'models' },
          h('thead', {}, h('tr', {}, ['Model', 'Name', 'Stake requirement', 'Enabled', 'Active providers', 'Registered', 'Pool'].map((x) => h('th', { scope: 'col' }, x)))),
          h(
            'tbody',
            {},
            app.models.map((m) =>
              h(
                'tr',
                { 'data-model': String(m.id) },
                h('th', { scope: 'row' }, String(m.id)),
                h('td', {}, m.name),
                h('td', {}, formatFunc(m.stake_amount)),
                h('td', {}, m.enabled ? 'yes' : 'no (disabled)'),
                h('td', { 'data-active-count': String(m.active_providers) }, String(m.active_providers)),
                h('td', {}, String(m.registered_providers ?? '—')),
                h('td', {}, h('code', { title: m.pool }, shortAddress(m.pool))),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

const gw = { model: null, start: 0, limit: 10 };

export async function gatewayView(main, ctx) {
  const { app, view } = ctx;
  if (gw.model === null && app.models[0]) gw.model = app.models[0].id;
  const model = field('Model', { name: 'gateway-model', value: gw.model, options: app.models.map((m) => ({ value: m.id, label: `${m.id} · ${m.name}` })) });
  const limit = field('Page size', { name: 'gateway-limit', type: 'number', inputmode: 'numeric', value: gw.limit, hint: `At most ${LIMITS.MAX_PAGE_SIZE} positions per page, as get_active_providers scans them.` });
  const load = async (start) => {
    gw.model = Number(model.input.value);
    gw.limit = Math.max(1, Math.min(LIMITS.MAX_PAGE_SIZE, Number(limit.input.value) || 10));
    gw.start = start;
    await gatewayView(main, ctx);
  };
  const page = gw.model === null ? null : await view.loadActivePage(app.suite, gw.model, gw.start, gw.limit);
  clear(
    main,
    h(
      'section',
      { 'aria-labelledby': 'gateway-title' },
      h('h2', { id: 'gateway-title' }, 'Active providers (gateway view)'),
      h('p', { class: 'hint' }, 'What a gateway routes with: the active providers of a model and their URLs, page by page. No account needed.'),
      h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); load(0); } }, model.wrap, limit.wrap, h('button', { type: 'submit' }, 'Show')),
      page
        ? [
            h('p', {}, `Positions ${page.start}–${page.start + page.limit - 1}: ${page.providers.length} active provider(s).`),
            h(
              'div',
              { class: 'table-wrap' },
              h(
                'table',
                { class: 'gateway' },
                h('thead', {}, h('tr', {}, ['Provider', 'Name', 'URL'].map((x) => h('th', { scope: 'col' }, x)))),
                h('tbody', {}, page.providers.map((p) => h('tr', { 'data-provider': p.id }, h('th', { scope: 'row' }, p.id), h('td', {}, p.name ?? ''), h('td', { class: 'url' }, p.url ?? p.metadata)))),
              ),
            ),
            h(
              'div',
              { class: 'buttons' },
              h('button', { type: 'button', disabled: page.start === 0, onclick: () => load(Math.max(0, page.start - page.limit)) }, 'Previous page'),
              h('button', { type: 'button', disabled: page.next_start === null, onclick: () => load(page.next_start) }, 'Next page'),
            ),
          ]
        : h('p', {}, 'No model yet.'),
    ),
  );
}
