// Short definitions of the words the page uses, shown where the word is (a dotted underline with
// the definition on hover and for screen readers) and together in a glossary.
import { h } from './dom.js';

export const GLOSSARY = {
  epoch: 'A fixed number of blocks. Stakes, reports and rewards are counted per epoch.',
  'reward delay': 'How many epochs after an epoch ends its reward becomes final and can be claimed.',
  'correction window': 'The epochs between an epoch’s end and its finality: the scheduler may still report or correct it; it cannot be claimed yet.',
  allowance: 'How much FUNC a contract (here a model’s pool) may take from your account. A stake first approves the pool, then the pool takes the stake.',
  'storage deposit': 'Native tokens held while a contract stores data for you; they come back when the data is removed.',
  pool: 'The staking contract of one model: it holds the stakes of that model’s providers and pays their rewards.',
  final: 'An epoch whose report can no longer change: its rewards can be claimed.',
  lock: 'A stake cannot be unstaked for a minimum number of epochs after it was made.',
};

/** A word with its definition. */
export function term(key, text = key) {
  const def = GLOSSARY[key];
  return def ? h('span', { class: 'term', title: def, 'data-term': key }, text) : text;
}

/** Every definition, folded. */
export function glossary() {
  return h(
    'details',
    { class: 'glossary' },
    h('summary', {}, 'What the words mean'),
    h('dl', { class: 'facts' }, Object.entries(GLOSSARY).map(([k, v]) => [h('dt', {}, k.charAt(0).toUpperCase() + k.slice(1)), h('dd', {}, v)])),
  );
}
