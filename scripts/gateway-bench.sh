#!/usr/bin/env bash
# Gateway benchmark (issue 19): the gateway's added latency and requests/second against calling a
# demo provider directly on loopback, at 1, 16 and 64 concurrent clients; and the cost of one
# routing table refresh (contract reads and milliseconds) at 10 … 1,000 active providers of a
# model, on a fresh substrate-contracts-node --dev. Not part of scripts/test.sh.
#
#   setup → release builds of the five contracts → scripts/gateway-bench.mjs (Node, client/lib)
#
# Environment: BENCH_SECONDS (per load run, default 6), BENCH_CONCURRENCY (default 1,16,64),
# BENCH_PROVIDERS (default 1000), GATEWAY_BENCH_TIMEOUT_SEC (default 1,200). Honours
# CARGO_TARGET_DIR; FUNC_BENCH_NO_BUILD=1 uses the bundles already built.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

export CARGO_TARGET_DIR="$TARGET_DIR"
TIMEOUT_SEC="${GATEWAY_BENCH_TIMEOUT_SEC:-1200}"

if [ "${FUNC_BENCH_NO_BUILD:-0}" != 1 ]; then
  step "setup" scripts/setup.sh
  for contract in "${CONTRACTS[@]}"; do
    step "release build: $contract" build_contract "$contract"
  done
fi
step "gateway benchmark (real node, demo provider, gateway)" \
  timeout --kill-after=30 "$TIMEOUT_SEC" node scripts/gateway-bench.mjs
echo "==> gateway benchmark done in $(( $(date +%s) - START ))s; results in $TARGET_DIR/gateway-bench/results.json"
