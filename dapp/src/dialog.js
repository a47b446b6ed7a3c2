// Every action: dry-run first, show the fee and the storage deposit and ask; then send, show a
// progress indicator, and after inclusion the block and the decoded events.
import { previewAction, sendAction } from '../../client/lib/actions.js';
import { formatFunc, show, showBytes } from '../../client/lib/codec.js';
import { formatEvent } from '../../client/lib/events.js';
import { h, clear } from './dom.js';

let dialog;
let body;
let titleEl;

function ensure() {
  if (dialog) return;
  titleEl = h('h2', { id: 'action-title' });
  body = h('div', { class: 'action-body' });
  dialog = h('dialog', { id: 'action', 'aria-labelledby': 'action-title', class: 'action' }, titleEl, body);
  document.body.append(dialog);
}

function native(api, v) {
  if (v === null || v === undefined) return 'unknown';
  const dec = api.registry.chainDecimals?.[0] ?? 12;
  const sym = api.registry.chainTokens?.[0] ?? 'UNIT';
  const neg = v < 0n;
  const a = neg ? -v : v;
  const base = 10n ** BigInt(dec);
  const frac = (a % base).toString().padStart(dec, '0').slice(0, 6).replace(/0+$/, '');
  return `${neg ? '−' : ''}${(a / base).toString()}${frac ? `.${frac}` : ''} ${sym}`;
}

function deposit(api, v) {
  if (v === 0n) return 'none';
  return v > 0n ? `${native(api, v)} held (storage deposit)` : `${native(api, -v)} refunded`;
}

function argText(a, contract) {
  if (a.value instanceof Uint8Array) return JSON.stringify(showBytes(a.value));
  // FUNC amounts: Balance arguments, and the token's own value/amount (typed u128 by the PSP22 crate)
  const isFunc = a.type === 'Balance' || (contract === 'func_token' && /^(value|amount)$/.test(a.name));
  if (typeof a.value === 'bigint' && isFunc) return formatFunc(a.value);
  return show(a.value);
}

function stepLine(api, s) {
  return h(
    'li',
    { class: `step ${s.ok ? 'ok' : 'later'}`, dataset: { step: String(s.index + 1) } },
    h('code', {}, `${s.contract}.${s.message.split('::').pop()}(${s.args.map((a) => argText(a, s.contract)).join(', ')})`),
    h('span', { class: 'step-fee' }, ` fee ${native(api, s.fee)}, storage deposit ${deposit(api, s.storageDeposit)}`),
    s.ok ? null : h('p', { class: 'hint' }, `checked again when step ${s.index} is in a block; now: ${s.reason}`),
  );
}

function close() {
  dialog.close();
  document.getElementById('view')?.focus(); // the trigger is redrawn with the new chain state
}

/**
 * Runs one action through preview → confirm → send.
 * @param {object} o `{ title, suite, fn, canSend, readOnlyReason, resultLines(value) → [{text, ok}], onDone }`
 * @returns {Promise<'sent'|'refused'|'cancelled'|'failed'>}
 */
export function runAction({ title, suite, fn, canSend = true, readOnlyReason, resultLines, onDone }) {
  ensure();
  const api = suite.api;
  titleEl.textContent = title;
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const progress = h('progress', { 'aria-label': 'waiting' });
  clear(body, progress, status);
  status.textContent = 'Dry-running on the node…';
  dialog.showModal();
  return new Promise((resolveRun) => {
    let settled = false;
    let sending = false;
    let outcome = null; // 'sent' | 'failed' | 'refused' once known
    const finish = (r) => {
      if (settled) return;
      settled = true;
      onDone?.(r);
      resolveRun(r);
    };
    // Esc: cancels before sending; while transactions are on their way the dialog stays open
    dialog.oncancel = (e) => {
      if (sending) {
        e.preventDefault();
        return;
      }
      finish(outcome ?? 'cancelled');
      setTimeout(() => document.getElementById('view')?.focus(), 0);
    };
    const closeButton = (r) => h('button', { type: 'button', class: 'primary', onclick: () => { close(); finish(r); } }, 'Close');
    previewAction(suite, fn).then(
      (p) => {
        const lines = resultLines?.(p.steps.at(-1)?.value, p) ?? [];
        const confirm = h('button', { type: 'button', class: 'primary', disabled: !canSend, 'data-action': 'confirm' }, p.steps.length > 1 ? `Sign and send ${p.steps.length} transactions` : 'Sign and send');
        const cancel = h('button', { type: 'button', onclick: () => { close(); finish('cancelled'); } }, 'Cancel');
        clear(
          body,
          h('p', {}, p.steps.length > 1 ? `The dry-run passed. ${p.steps.length} transactions, in this order:` : 'The dry-run passed. The transaction:'),
          h('ol', { class: 'steps' }, p.steps.map((s) => stepLine(api, s))),
          h('dl', { class: 'facts totals' }, h('dt', {}, 'Fee'), h('dd', { 'data-fee': '' }, native(api, p.fee)), h('dt', {}, 'Storage deposit'), h('dd', { 'data-deposit': '' }, deposit(api, p.storageDeposit))),
          lines.length ? [h('p', {}, 'Expected result:'), h('ul', { class: 'lines' }, lines.map((l) => h('li', { class: l.ok ? 'ok' : 'bad' }, l.text)))] : null,
          canSend ? null : h('p', { class: 'warn' }, readOnlyReason ?? 'This account cannot sign.'),
          h('div', { class: 'buttons' }, confirm, cancel),
        );
        confirm.focus();
        confirm.addEventListener('click', () => send());
      },
      (e) => {
        clear(
          body,
          h('p', { class: 'error', role: 'alert', 'data-refusal': '' }, e.message),
          h('p', {}, 'Nothing was sent.'),
          h('div', { class: 'buttons' }, closeButton('refused')),
        );
        body.querySelector('button').focus();
      },
    );

    function send() {
      sending = true;
      const list = h('ol', { class: 'steps sending' });
      const st = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' }, 'Signing and sending…');
      clear(body, h('progress', { 'aria-label': 'waiting for the block' }), st, list);
      const items = new Map();
      sendAction(suite, fn, {
        onStep: (s) => {
          let li = items.get(s.index);
          if (!li) {
            li = h('li', { class: 'step' });
            items.set(s.index, li);
            list.append(li);
          }
          const name = `${s.contract}.${s.message.split('::').pop()}`;
          if (s.state === 'sending') clear(li, `${name}: waiting for a block…`);
          else if (s.state === 'included') {
            clear(
              li,
              h('strong', {}, `${name}: in block #${s.blockNumber}`),
              ' ',
              h('code', { class: 'hash' }, s.blockHash),
              h('ul', { class: 'events' }, s.events.map((ev) => h('li', {}, formatEvent(ev)))),
            );
            li.dataset.block = String(s.blockNumber);
          } else clear(li, h('strong', { class: 'error' }, `${name}: ${s.error}`));
        },
      }).then(
        (r) => {
          sending = false;
          outcome = 'sent';
          const last = r.steps.at(-1);
          const lines = resultLines?.(last?.value, r) ?? [];
          body.querySelector('progress')?.remove();
          st.textContent = `Done: ${r.steps.length} transaction${r.steps.length === 1 ? '' : 's'} in block${r.steps.length === 1 ? '' : 's'} ${r.steps.map((s) => `#${s.blockNumber}`).join(', ')}.`;
          st.dataset.done = '';
          if (lines.length) body.append(h('p', {}, 'Result:'), h('ul', { class: 'lines result' }, lines.map((l) => h('li', { class: l.ok ? 'ok' : 'bad' }, l.text))));
          const b = closeButton('sent');
          body.append(h('div', { class: 'buttons' }, b));
          b.focus();
        },
        (e) => {
          sending = false;
          outcome = 'failed';
          body.querySelector('progress')?.remove();
          st.textContent = '';
          body.append(h('p', { class: 'error', role: 'alert', 'data-refusal': '' }, e.message));
          const b = closeButton('failed');
          body.append(h('div', { class: 'buttons' }, b));
          b.focus();
        },
      );
    }
  });
}
