#!/usr/bin/env node
// The storage-layout lock: every contract's storage layout, read from the metadata that
// `cargo contract build` writes, against the snapshot committed in docs/storage-layout/.
//
//   node scripts/storage-layout.mjs check  <contract>...   fails naming every changed item
//   node scripts/storage-layout.mjs update <contract>...   rewrites the snapshots (on purpose,
//                                                          with a line in the README's upgrade notes)
//
// Artifacts: $CARGO_TARGET_DIR/ink/<name>/<name>.json (default target/ink). A snapshot lists one
// line per storage item: its path in the storage struct, its storage key, whether it lives in
// the packed root cell (decoded whole by every message: frozen once deployed) or under its own
// key, and its type written out in full (field names and types, recursively), so that adding a
// field to a stored struct shows as a change of that item.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SNAPSHOTS = join(ROOT, 'docs', 'storage-layout');
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(ROOT, 'target');

/** Writes type `id` of the metadata's registry out in full (names, fields, variants). */
function typeText(types, id, seen = new Set()) {
  const entry = types.get(id);
  if (!entry) return `?${id}`;
  const { def, path = [], params = [] } = entry;
  const name = path.length ? path[path.length - 1] : '';
  const args = params.filter((p) => p.type !== undefined).map((p) => typeText(types, p.type, seen));
  const label = args.length ? `${name}<${args.join(', ')}>` : name;
  if (def.primitive) return def.primitive;
  if (def.compact) return `Compact<${typeText(types, def.compact.type, seen)}>`;
  if (def.sequence) return `Vec<${typeText(types, def.sequence.type, seen)}>`;
  if (def.array) return `[${typeText(types, def.array.type, seen)}; ${def.array.len}]`;
  if (def.tuple) return `(${def.tuple.map((t) => typeText(types, t, seen)).join(', ')})`;
  // Well-known wrappers: their inside is what matters.
  if (['AccountId', 'Hash'].includes(name)) return name;
  if (seen.has(id)) return label;
  seen = new Set(seen).add(id);
  if (def.composite) {
    const fields = (def.composite.fields ?? []).map((f) =>
      f.name ? `${f.name}: ${typeText(types, f.type, seen)}` : typeText(types, f.type, seen),
    );
    return `${label} { ${fields.join(', ')} }`;
  }
  if (def.variant) {
    const variants = (def.variant.variants ?? []).map((v) => {
      const fields = (v.fields ?? []).map((f) =>
        f.name ? `${f.name}: ${typeText(types, f.type, seen)}` : typeText(types, f.type, seen),
      );
      return fields.length ? `${v.name}(${fields.join(', ')})` : v.name;
    });
    return `${label} { ${variants.join(' | ')} }`;
  }
  return label || JSON.stringify(def);
}

/** A nested layout node (inside an enum variant) written as one type. */
function layoutText(layout, types) {
  if (layout.leaf) return typeText(types, layout.leaf.ty);
  if (layout.struct) {
    return `${layout.struct.name} { ${layout.struct.fields.map((f) => `${f.name}: ${layoutText(f.layout, types)}`).join(', ')} }`;
  }
  if (layout.enum) {
    const variants = Object.values(layout.enum.variants).map(
      (v) => `${v.name}${v.fields.length ? `(${v.fields.map((f) => layoutText(f.layout, types)).join(', ')})` : ''}`,
    );
    return `${layout.enum.name} { ${variants.join(' | ')} }`;
  }
  if (layout.root) return `own key ${layout.root.root_key}`;
  return JSON.stringify(Object.keys(layout));
}

/** One line per storage item of a layout node, depth first. */
function items(layout, types, path, out, rootKey) {
  if (layout.root) {
    // A Mapping or Lazy item (or a storage item of its own): its values live under their own
    // key. Written as the holder with its key and value types in full.
    const key = layout.root.root_key;
    const holder = types.get(layout.root.ty);
    const kind = holder?.path?.[holder.path.length - 1] ?? 'Root';
    if (['Mapping', 'Lazy', 'StorageVec'].includes(kind)) {
      const params = (holder.params ?? [])
        .filter((p) => p.type !== undefined && p.name !== 'KeyType')
        .map((p) => typeText(types, p.type));
      out.push(`${path}  ${key}  own key  ${kind}<${params.join(', ')}>`);
    } else {
      items(layout.root.layout, types, path, out, key);
    }
    return;
  }
  if (layout.leaf) {
    const where = layout.leaf.key === rootKey ? 'packed in its cell' : 'own key';
    out.push(`${path}  ${layout.leaf.key}  ${where}  ${typeText(types, layout.leaf.ty)}`);
    return;
  }
  if (layout.struct) {
    for (const field of layout.struct.fields) {
      items(field.layout, types, path ? `${path}.${field.name}` : field.name, out, rootKey);
    }
    return;
  }
  if (layout.enum) {
    const variants = Object.values(layout.enum.variants)
      .map((v) => `${v.name}${v.fields.length ? `(${v.fields.map((f) => layoutText(f.layout, types)).join(', ')})` : ''}`)
      .join(' | ');
    out.push(`${path}  ${layout.enum.dispatchKey}  ${layout.enum.dispatchKey === rootKey ? 'packed in its cell' : 'own key'}  ${layout.enum.name} { ${variants} }`);
    return;
  }
  if (layout.array) {
    out.push(`${path}  ${layout.array.offset}  array of ${layout.array.len}`);
    items(layout.array.layout, types, `${path}[]`, out, rootKey);
    return;
  }
  if (layout.hash) {
    out.push(`${path}  hashed layout`);
    return;
  }
  throw new Error(`unknown layout node at ${path}: ${Object.keys(layout)}`);
}

/** The snapshot text of a built contract. */
export function snapshotOf(metadata, name) {
  const types = new Map(metadata.types.map((t) => [t.id, t.type]));
  const lines = [];
  items(metadata.storage.root.layout, types, '', lines, metadata.storage.root.root_key);
  return [
    `# Storage layout of ${name} (scripts/storage-layout.mjs; do not edit by hand).`,
    `# "packed in its cell": part of the root cell ${metadata.storage.root.root_key}, decoded whole by every message.`,
    ...lines,
    '',
  ].join('\n');
}

function artifact(name) {
  return join(TARGET, 'ink', name, `${name}.json`);
}

function main() {
  const [mode, ...names] = process.argv.slice(2);
  if (!['check', 'update'].includes(mode) || names.length === 0) {
    console.error('usage: storage-layout.mjs check|update <contract>...');
    process.exit(2);
  }
  let failed = false;
  for (const name of names) {
    const path = artifact(name);
    if (!existsSync(path)) {
      console.error(`${name}: no metadata at ${path} (build it with cargo contract build --release first)`);
      failed = true;
      continue;
    }
    const metadata = JSON.parse(readFileSync(path, 'utf8'));
    const now = snapshotOf(metadata, name);
    // An upgradeable contract (one with `set_code`) keeps nothing packed in its root cell: every
    // item has its own key, so a later version can add items, and migrate one, without the
    // root cell (decoded by every message) ever changing.
    const upgradeable = (metadata.spec?.messages ?? []).some((m) => m.label === 'set_code');
    const packed = now.split('\n').filter((l) => l && !l.startsWith('#') && l.includes('packed in its cell'));
    if (upgradeable && packed.length) {
      console.error(`${name}: has set_code but keeps fields packed in its root cell (give each its own Lazy/Mapping ManualKey):`);
      for (const line of packed) console.error(`  ${line}`);
      failed = true;
      continue;
    }
    const file = join(SNAPSHOTS, `${name}.txt`);
    if (mode === 'update') {
      mkdirSync(SNAPSHOTS, { recursive: true });
      writeFileSync(file, now);
      console.log(`    ${name}: snapshot written to docs/storage-layout/${name}.txt`);
      continue;
    }
    if (!existsSync(file)) {
      console.error(`${name}: no snapshot docs/storage-layout/${name}.txt (run: node scripts/storage-layout.mjs update ${name})`);
      failed = true;
      continue;
    }
    const before = readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    const after = now.split('\n').filter((l) => l && !l.startsWith('#'));
    const itemOf = (line) => line.split('  ')[0];
    const beforeBy = new Map(before.map((l) => [itemOf(l), l]));
    const afterBy = new Map(after.map((l) => [itemOf(l), l]));
    const changes = [];
    for (const [item, line] of beforeBy) {
      if (!afterBy.has(item)) changes.push(`removed  ${line}`);
      else if (afterBy.get(item) !== line) changes.push(`changed  ${item}\n      was: ${line}\n      now: ${afterBy.get(item)}`);
    }
    for (const [item, line] of afterBy) if (!beforeBy.has(item)) changes.push(`added    ${line}`);
    const order = (list) => list.map(itemOf).join('\n');
    if (changes.length === 0 && order(before) !== order(after)) changes.push('the order of the items changed');
    const frozen = [...before, ...after].some(
      (line) => line.includes('packed in its cell') && (!afterBy.has(itemOf(line)) || !beforeBy.has(itemOf(line)) || afterBy.get(itemOf(line)) !== beforeBy.get(itemOf(line))),
    );
    if (frozen) {
      changes.push(
        'a packed field changed: once deployed, code with this layout cannot decode the old cell and every message traps after set_code',
      );
    }
    if (changes.length) {
      failed = true;
      console.error(`${name}: storage layout differs from docs/storage-layout/${name}.txt:`);
      for (const change of changes) console.error(`  ${change}`);
    } else {
      console.log(`    ${name}: storage layout matches its snapshot`);
    }
  }
  if (failed) {
    console.error(
      'A changed layout must be deliberate: a packed root field can never change once deployed; new state goes under its own ' +
        'ManualKey (docs/CONVENTIONS.md). If the change is intended, run `node scripts/storage-layout.mjs update <contract>` ' +
        "and add a line to the README's upgrade notes in the same commit.",
    );
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
