#!/usr/bin/env bash
# The money-path soak (not part of the test command): the pool's adversarial property tests
# (contracts/provider_staking/src/money_path.rs) over many more sequences than `cargo test`
# runs, in release mode.
#
#   scripts/soak.sh                 # 100,000 sequences of the adversarial generator and 100,000 of
#                                   # the corrections generator (the long-run generator keeps its 9)
#   scripts/soak.sh 1000000         # more
#   PROPTEST_RNG_SEED=42 scripts/soak.sh 100000   # replay a run: same seed, same sequences
#
# A failure prints the shrunk sequence of steps and the seed; proptest also records it in
# contracts/provider_staking/proptest-regressions/money_path.txt, which `cargo test` replays
# first from then on.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

CASES="${1:-100000}"
SEED="${PROPTEST_RNG_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}"
echo "==> money-path soak: $CASES sequences, PROPTEST_RNG_SEED=$SEED"
PROPTEST_CASES="$CASES" PROPTEST_RNG_SEED="$SEED" \
  cargo test --release -p provider_staking --lib money_path -- --nocapture --test-threads=2
echo "==> soak passed: $CASES sequences, seed $SEED ($(( $(date +%s) - START ))s)"
