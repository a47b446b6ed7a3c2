// Every action: dry-run first, check the account can pay for every step, show the fee and the
// storage deposit and ask; then send, show a progress indicator, and after inclusion the block
// and what happened. Raw calls and events sit behind "Advanced".
import { previewAction, sendAction, preflight, isAllowanceShortfall } from '../../client/lib/actions.js';
import { formatFunc, show, showBytes } from '../../client/lib/codec.js';
import { formatEvent } from '../../client/lib/events.js';
import { approve } from '../../client/lib/ops.js';
import { plainError, poolNames, stepWords } from '../../client/lib/view.js';
import { h, clear } from './dom.js';
import { term } from './words.js';

let dialog;
let body;
let titleEl;

function ensure() {
  if (dialog) return;
  titleEl = h('h2', { id: 'action-title', tabindex: '-1' });
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
  return `${neg ? '−' : ''}${(a / base).toLocaleString('en-US')}${frac ? `.${frac}` : ''} ${sym}`;
}

function deposit(api, v) {
  if (v === 0n) return 'none';
  return v > 0n ? `${native(api, v)} held` : `${native(api, -v)} refunded`;
}

function argText(a, contract) {
  if (a.value instanceof Uint8Array) return JSON.stringify(showBytes(a.value));
  // FUNC amounts: Balance arguments, and the token's own value/amount (typed u128 by the PSP22 crate)
  const isFunc = a.type === 'Balance' || (contract === 'func_token' && /^(value|amount)$/.test(a.name));
  if (typeof a.value === 'bigint' && isFunc) return formatFunc(a.value);
  return show(a.value);
}

const rawCall = (s) => `${s.contract}.${s.message.split('::').pop()}(${(s.args ?? []).map((a) => argText(a, s.contract)).join(', ')})`;

function stepLine(api, s, steps, pools) {
  const prev = steps[s.index - 1];
  const afterApprove = prev && /approve$/.test(prev.message) && (isAllowanceShortfall(s.error) || !s.error);
  return h(
    'li',
    { class: `step ${s.ok ? 'ok' : 'after'}`, dataset: { step: String(s.index + 1) } },
    h('span', { class: 'step-words' }, stepWords(s, { pools })),
    h('span', { class: 'step-fee' }, ` · fee ${native(api, s.fee)}${s.storageDeposit ? `, storage deposit ${deposit(api, s.storageDeposit)}` : ''}`),
    s.ok ? null : h('p', { class: 'hint', 'data-after': '' }, afterApprove ? 'Runs after the approve; the node checks it again then.' : `Runs after step ${s.index}; the node checks it again then.`),
    h('details', { class: 'advanced' }, h('summary', {}, 'Advanced'), h('code', {}, rawCall(s)), s.ok ? null : h('p', { class: 'hint' }, `dry-run before step ${s.index}: ${s.reason}`)),
  );
}

function preflightLines(api, problems) {
  return problems.map((p) =>
    p.kind === 'func'
      ? `This needs ${formatFunc(p.need)}; the account holds ${formatFunc(p.has)}. Get ${formatFunc(p.need - p.has)} more FUNC first.`
      : `The fees and deposits need ${native(api, p.need)}; the account holds ${native(api, p.has)} for fees.`,
  );
}

/** Where the focus goes back to: the trigger, or (redrawn since) the element in its place, or <main>. */
function restoreFocus(selector, trigger) {
  const target = trigger?.isConnected ? trigger : selector ? document.querySelector(selector) : null;
  if (target && !target.disabled) target.focus();
  else document.getElementById('view')?.focus();
}

function selectorOf(el) {
  if (!el || el === document.body) return null;
  const card = el.closest?.('[data-provider]');
  const own = el.getAttribute('name') ? `[name="${el.getAttribute('name')}"]` : el.dataset?.action ? `[data-action="${el.dataset.action}"]` : el.id ? `#${el.id}` : null;
  if (!own) return null;
  return card && !el.id ? `[data-provider="${card.dataset.provider}"] ${own}` : own;
}

/**
 * Runs one action through preview → checks → confirm → send.
 * @param {object} o `{ title, suite, fn, canSend, readOnlyReason, resultLines(value) → [{text, ok}], onDone(outcome, result), trigger, url }`
 * @returns {Promise<'sent'|'refused'|'cancelled'|'failed'>}
 */
export function runAction({ title, suite, fn, canSend = true, readOnlyReason, resultLines, onDone, trigger, url }) {
  ensure();
  const api = suite.api;
  const triggerSel = selectorOf(trigger);
  titleEl.textContent = title;
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const progress = h('progress', { 'aria-label': 'waiting' });
  clear(body, progress, status);
  status.textContent = 'Dry-running on the node…';
  if (!dialog.open) dialog.showModal();
  titleEl.focus();
  const pools = poolNames(suite);
  return new Promise((resolveRun) => {
    let settled = false;
    let sending = false;
    let outcome = null; // 'sent' | 'failed' | 'refused' once known
    const finish = async (r, result) => {
      if (settled) return;
      settled = true;
      await onDone?.(r, result);
      restoreFocus(triggerSel, trigger);
      resolveRun(r);
    };
    const close = (r, result) => {
      dialog.close();
      finish(r, result);
    };
    // Esc: cancels before sending; while transactions are on their way the dialog stays open
    dialog.oncancel = (e) => {
      e.preventDefault();
      if (sending) return;
      close(outcome ?? 'cancelled');
    };
    const closeButton = (r, result) => h('button', { type: 'button', class: 'primary', onclick: () => close(r, result) }, 'Close');
    const errorBlock = (e) => {
      const p = plainError(e, { url });
      return [h('p', { class: 'error', role: 'alert', 'data-refusal': '' }, p.text), h('details', { class: 'advanced' }, h('summary', {}, 'Advanced'), h('pre', {}, p.raw))];
    };
    previewAction(suite, fn)
      .then(async (p) => [p, canSend ? await preflight(suite, p) : []])
      .then(
        ([p, problems]) => {
          const value = p.result?.value ?? p.steps.at(-1)?.value;
          const lines = resultLines?.(value, p) ?? [];
          const n = p.steps.length;
          const blocked = problems.length > 0;
          const confirm = h('button', { type: 'button', class: 'primary', disabled: !canSend || blocked, 'data-action': 'confirm' }, n > 1 ? `Sign and send ${n} transactions` : 'Sign and send');
          const cancel = h('button', { type: 'button', 'data-action': 'cancel', onclick: () => close('cancelled') }, 'Cancel');
          clear(
            body,
            h('p', { 'data-count': String(n) }, n > 1 ? `The dry-run passed. ${n} transactions, in this order (each asks for a signature):` : 'The dry-run passed. One transaction:'),
            h('ol', { class: 'steps' }, p.steps.map((s) => stepLine(api, s, p.steps, pools))),
            h(
              'dl',
              { class: 'facts totals' },
              h('dt', {}, 'Fee'),
              h('dd', { 'data-fee': '' }, native(api, p.fee)),
              h('dt', {}, term('storage deposit', 'Storage deposit')),
              h('dd', { 'data-deposit': '' }, deposit(api, p.storageDeposit)),
            ),
            lines.length ? [h('p', {}, 'Expected result:'), h('ul', { class: 'lines' }, lines.map((l) => h('li', { class: l.ok ? 'ok' : 'bad' }, l.text)))] : null,
            blocked
              ? h('div', { class: 'blocked', role: 'alert', 'data-preflight': '' }, preflightLines(api, problems).map((t) => h('p', { class: 'error' }, t)), h('p', {}, 'Nothing was sent: no signature is asked for an action that cannot finish.'))
              : null,
            canSend ? null : h('p', { class: 'warn' }, readOnlyReason ?? 'This account cannot sign.'),
            h('div', { class: 'buttons' }, confirm, cancel),
          );
          confirm.addEventListener('click', () => send());
        },
        (e) => {
          outcome = 'refused';
          clear(body, errorBlock(e), h('p', {}, 'Nothing was sent.'), h('div', { class: 'buttons' }, closeButton('refused')));
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
          const name = stepWords(s, { pools });
          if (s.state === 'sending') clear(li, `${name}: waiting for a block…`);
          else if (s.state === 'included') {
            clear(
              li,
              h('strong', {}, `${name}: in block #${s.blockNumber}`),
              h('details', { class: 'advanced' }, h('summary', {}, 'Advanced'), h('code', { class: 'hash' }, s.blockHash), h('ul', { class: 'events' }, s.events.map((ev) => h('li', {}, formatEvent(ev))))),
            );
            li.dataset.block = String(s.blockNumber);
          } else clear(li, h('strong', { class: 'error' }, `${name}: ${plainError({ message: s.error }, { url }).text}`));
        },
      }).then(
        (r) => {
          sending = false;
          outcome = 'sent';
          const lines = resultLines?.(r.result?.value ?? r.steps.at(-1)?.value, r) ?? [];
          body.querySelector('progress')?.remove();
          st.textContent = `Done: ${r.steps.length} transaction${r.steps.length === 1 ? '' : 's'} in block${r.steps.length === 1 ? '' : 's'} ${r.steps.map((s) => `#${s.blockNumber}`).join(', ')}.`;
          st.dataset.done = '';
          if (lines.length) body.append(h('p', {}, 'Result:'), h('ul', { class: 'lines result' }, lines.map((l) => h('li', { class: l.ok ? 'ok' : 'bad' }, l.text))));
          const b = closeButton('sent', r);
          body.append(h('div', { class: 'buttons' }, b));
          b.focus();
        },
        (e) => {
          sending = false;
          outcome = 'failed';
          body.querySelector('progress')?.remove();
          st.textContent = '';
          body.append(...errorBlock(e));
          // an approve went through and a later step did not: the allowance stays; offer both ways out
          const approved = (e.steps ?? []).find((s) => s.state === 'included' && /approve$/.test(s.message));
          const buttons = [];
          if (approved) {
            const spender = approved.args?.find((a) => a.name === 'spender')?.value;
            const amount = approved.args?.find((a) => a.name === 'value')?.value;
            body.append(h('p', { 'data-allowance-left': '' }, `The approve is in block #${approved.blockNumber}: the pool may still take ${formatFunc(BigInt(amount ?? 0))} from this account. Try the rest again, or revoke the allowance.`));
            buttons.push(
              h('button', { type: 'button', class: 'primary', 'data-action': 'retry', onclick: () => { settled = true; runAction({ title, suite, fn, canSend, readOnlyReason, resultLines, onDone, trigger, url }).then(resolveRun); } }, 'Try again'),
              h('button', { type: 'button', 'data-action': 'revoke', onclick: () => { settled = true; runAction({ title: 'Revoke the allowance', suite, fn: (s) => approve(s, spender, 0n), canSend, onDone, trigger, url }).then(resolveRun); } }, 'Revoke the allowance'),
            );
          }
          const b = closeButton('failed');
          body.append(h('div', { class: 'buttons' }, buttons, b));
          (buttons[0] ?? b).focus();
        },
      );
    }
  });
}
