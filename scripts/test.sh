#!/usr/bin/env bash
# The project's single test command (README; `.ci/run` calls it):
#   setup → fmt → clippy → unit tests → release builds of the five contracts →
#   storage-layout lock → end-to-end tests against a real substrate-contracts-node → Polkadot.js client tests →
#   the dapp's tests (a real node and Debian's headless Chromium).
# Honours CARGO_TARGET_DIR (CI points it at a cache outside the clone).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

step "setup" scripts/setup.sh
step "format" cargo fmt --all -- --check
step "clippy" cargo clippy --workspace --all-targets --all-features -- -D warnings
step "unit tests" cargo test --workspace
step "upgrade code for the e2e set_code test" build_upgrade_code
for contract in "${CONTRACTS[@]}"; do
  step "release build: $contract" build_contract "$contract"
done
step "contract sizes" print_contract_sizes
step "storage-layout lock (docs/storage-layout/)" \
  env CARGO_TARGET_DIR="$TARGET_DIR" node scripts/storage-layout.mjs check "${CONTRACTS[@]}"
step "end-to-end tests (real node)" \
  cargo test -p func_e2e --features e2e-tests -- --test-threads=1
if [ -f client/package.json ]; then
  step "client tests (real node)" bash -c 'cd client && npm test'
fi
if [ -f dapp/package.json ]; then
  step "dapp tests (real node + Chromium)" bash -c 'cd dapp && npm test'
fi
echo "==> all tests passed in $(( $(date +%s) - START ))s"
