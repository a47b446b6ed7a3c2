#!/usr/bin/env node
// Prints the README's benchmark table from the last `scripts/bench.sh` run
// ($CARGO_TARGET_DIR/bench/results.json, default target/bench/results.json): one row per
// message and case, in the order the bench measured them, then the code sizes, the marginal
// cost per provider and the targets.
//
//   node scripts/bench-table.mjs > /tmp/table.md
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(ROOT, 'target');
const results = JSON.parse(readFileSync(join(TARGET, 'bench', 'results.json'), 'utf8'));
const blockRefTime = results.node?.max_block_ref_time ?? 2_000_000_000_000;

const giga = (v) => `${(v / 1e9).toFixed(3)} G`;
const kilo = (v) => `${(v / 1000).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} KB`;
const deposit = (v) => {
  if (!v) return '0';
  const sign = v < 0 ? '−' : '+';
  const [mantissa, exponent] = Math.abs(v).toExponential(4).split('e+');
  return `${sign}${mantissa} × 10^${exponent}`;
};
// "name[case]" → "name [case]"
const label = (key) => key.replace(/\[/, ' [');

const rows = Object.entries(results.messages).map(([key, f]) => {
  const over = f.proof_size > results.proof_target ? ' ⚠' : '';
  return `| ${label(key)} | ${giga(f.ref_time)} | ${((f.ref_time * 100) / blockRefTime).toFixed(3)} % | ${kilo(f.proof_size)} | ${f.proof_size_percent_of_extrinsic.toFixed(1)} %${over} | ${deposit(f.storage_deposit)} |`;
});
console.log('| message [case] | ref_time | % block | proof_size | % of 6.5 MiB | storage deposit |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
console.log('');
const sizes = Object.entries(results.code_size)
  .map(([name, bytes]) => `${name.replace('_reference', ' reference')} ${bytes.toLocaleString('en-US')} B`)
  .join(' · ');
console.log(`Optimized Wasm: ${sizes}.`);
console.log('');
for (const m of results.marginal_per_provider) {
  console.log(
    `- ${m.name}: +${giga(m.ref_time)} ref_time, +${kilo(m.proof_size)} proof_size (batches of ${m.from_batches.join(' and ')}); the largest batch within 1.0 MB: ${m.fits_proof_target}.`,
  );
}
console.log('');
for (const t of results.targets) {
  const flag = t.pass === true ? 'PASS' : t.pass === false ? '**MISS**' : '–';
  console.log(`- ${flag} ${t.name}: ${t.value} (limit ${t.limit})`);
}
