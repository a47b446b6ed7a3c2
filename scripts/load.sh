#!/usr/bin/env bash
# Scale run (issue 12): one model with 1,000 providers on a fresh substrate-contracts-node --dev,
# 100 epochs of scheduler reports in batches, claims over 1 / 10 / 100 epochs, cluster claims and
# unstakes, the pool invariant at the end. Prints how each message's ref_time and proof_size grow
# with providers (10 / 100 / 1,000) and with epochs (1 / 10 / 100) and writes
# $TARGET_DIR/load/results.json. Not part of scripts/test.sh.
#
#   setup → release builds of the five contracts → scripts/load.mjs (Node, client/lib)
#
# Bounded in time: the run stops by itself after LOAD_TIMEOUT_SEC (default 1,800 s) and prints
# what it measured; `timeout` guards the whole program a little longer. LOAD_QUICK=1 runs a small
# version (174 providers, 12 epochs) to check the script. Honours CARGO_TARGET_DIR.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

export CARGO_TARGET_DIR="$TARGET_DIR"
export LOAD_TIMEOUT_SEC="${LOAD_TIMEOUT_SEC:-1800}"

step "setup" scripts/setup.sh
for contract in "${CONTRACTS[@]}"; do
  step "release build: $contract" build_contract "$contract"
done
step "scale run (real node; stops by itself after ${LOAD_TIMEOUT_SEC}s)" \
  timeout --kill-after=30 "$(( LOAD_TIMEOUT_SEC + 120 ))" node scripts/load.mjs
echo "==> scale run done in $(( $(date +%s) - START ))s; results in $TARGET_DIR/load/results.json"
