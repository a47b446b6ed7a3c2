#!/usr/bin/env bash
# Benchmarks of the five contracts on a real substrate-contracts-node (issue "Benchmarks"):
#   setup → release builds of the five contracts → release build of the reference PSP22
#   (crate psp22 2.0.0, built from a temporary copy; none of its code is committed) →
#   tests/examples/bench.rs, which prints the table and the targets and writes
#   $TARGET_DIR/bench/results.json.
# Every figure is also shown as a share of the block's ref_time and of a 6.5 MiB extrinsic's
# proof_size (issue 12: the dev node does not enforce proof_size, a parachain does); every
# message is measured at its bound in limits.rs (batches, cluster size, pages, an owner's
# providers spread over MAX_CLUSTER_POOLS_PER_CALL + 1 models), and the marginal cost of one
# more provider in a whitelist and in a scheduler report is printed (batches of 10 and 100).
# The targets are reported as PASS/MISS; a MISS does not fail the run.
# Duration on 2 cores once the contracts and the e2e crate are built: about 4 minutes (the
# claim ledger's 1,000 reported epochs are 2,000 blocks, about 2.5 minutes).
# Honours CARGO_TARGET_DIR.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

# The bench program finds the artifacts through CARGO_TARGET_DIR (as the e2e harness does).
export CARGO_TARGET_DIR="$TARGET_DIR"
BENCH_DIR="$TARGET_DIR/bench"
REFERENCE_DIR="$BENCH_DIR/psp22-reference"
PSP22_VERSION="2.0.0"

# build_reference: copies psp22 $PSP22_VERSION out of the cargo registry into $REFERENCE_DIR,
# makes it a standalone workspace that passes cargo-contract's lints, builds it with
# `cargo contract build --release` and leaves the artifacts in $TARGET_DIR/ink/psp22/.
build_reference() {
  local manifest src wasm built
  # The package our workspace resolves (cargo downloads it if needed).
  manifest="$(cargo metadata --format-version 1 \
    | grep -o "\"manifest_path\":\"[^\"]*/psp22-$PSP22_VERSION/Cargo.toml\"" \
    | head -n 1 | cut -d'"' -f4)"
  if [ -z "$manifest" ] || [ ! -f "$manifest" ]; then
    echo "psp22 $PSP22_VERSION not found by cargo metadata" >&2
    return 1
  fi
  src="$(dirname "$manifest")"
  echo "    reference source: $src"

  # `step` runs this in an `if`, where `set -e` is off: every command is checked.
  rm -rf "$REFERENCE_DIR" && mkdir -p "$BENCH_DIR" || return 1
  cp -r "$src" "$REFERENCE_DIR" && chmod -R u+w "$REFERENCE_DIR" || return 1
  # cargo-contract 5.0.3 lints with -D clippy::cast_possible_truncation, which the
  # parity-scale-codec derive trips on `PSP22Error` (docs/TOOLCHAIN.md, "cargo contract build lints").
  sed -i '1i #![allow(clippy::cast_possible_truncation)]' "$REFERENCE_DIR/lib.rs" || return 1
  # contract-metadata needs at least one author.
  if ! grep -q '^authors *=' "$REFERENCE_DIR/Cargo.toml"; then
    sed -i '0,/^\[package\]/s//[package]\nauthors = ["Cardinal Cryptography"]/' \
      "$REFERENCE_DIR/Cargo.toml" || return 1
  fi
  # A workspace of its own (the copy lies inside our workspace's directory), resolved with
  # our lock so that it gets the same Rust-1.86-compatible crates.
  if ! grep -q '^\[workspace\]' "$REFERENCE_DIR/Cargo.toml"; then
    printf '\n[workspace]\n' >>"$REFERENCE_DIR/Cargo.toml" || return 1
  fi
  cp Cargo.lock "$REFERENCE_DIR/Cargo.lock" || return 1

  # CARGO_TARGET_DIR=$TARGET_DIR shares the ink! dependencies with our contracts. A package
  # outside a workspace gets its artifacts in $TARGET_DIR/ink/ itself (workspace members get
  # ink/<name>/): they are moved to $TARGET_DIR/ink/psp22/, where the bench program loads them.
  local ink_dir="$TARGET_DIR/ink" ext
  wasm="$(artifact psp22 wasm)"
  rm -rf "$ink_dir/psp22" "$ink_dir"/psp22.{contract,json,wasm}
  cargo contract build --release --quiet --manifest-path "$REFERENCE_DIR/Cargo.toml" || return 1
  mkdir -p "$ink_dir/psp22" || return 1
  for built in "$ink_dir" "$REFERENCE_DIR/target/ink" "$REFERENCE_DIR/target/ink/psp22"; do
    if [ ! -f "$wasm" ] && [ -f "$built/psp22.wasm" ]; then
      for ext in contract json wasm; do
        if [ -f "$built/psp22.$ext" ]; then mv "$built/psp22.$ext" "$ink_dir/psp22/" || return 1; fi
      done
    fi
  done
  [ -f "$wasm" ] || { echo "no psp22.wasm after the build" >&2; return 1; }
  printf '    %-18s %7d bytes optimized Wasm\n' psp22_reference "$(stat -c %s "$wasm")"
}

step "setup" scripts/setup.sh
for contract in "${CONTRACTS[@]}"; do
  step "release build: $contract" build_contract "$contract"
done
step "contract sizes" print_contract_sizes
step "release build: reference PSP22 (psp22 $PSP22_VERSION)" build_reference
step "benchmark (real node)" \
  cargo run --quiet -p func_e2e --example bench --features e2e-tests
echo "==> benchmarks done in $(( $(date +%s) - START ))s; results in $BENCH_DIR/results.json"
