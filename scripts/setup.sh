#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine, skipping what is present:
#   1. the Rust toolchain pinned in rust-toolchain.toml (+ rust-src, clippy, rustfmt, wasm target)
#   2. Debian packages the contracts node build needs (protobuf-compiler, clang, libclang-dev)
#   3. substrate-contracts-node (crate contracts-node 0.42.0)
#   4. cargo-contract 5.0.3
#   5. the Polkadot.js client's npm packages (when client/ exists)
#   6. the dapp's npm packages and Debian's chromium for its browser tests (when dapp/ exists)
# Each step prints its elapsed time; a failure names the step.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TOOLCHAIN="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)"
NODE_VERSION="0.42.0"
CARGO_CONTRACT_VERSION="5.0.3"
CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export PATH="$CARGO_HOME/bin:$PATH"

STEP=""
STEP_START=0
SETUP_START=$(date +%s)
on_error() { echo "setup: FAILED in step '$STEP' after $(( $(date +%s) - STEP_START ))s" >&2; }
trap on_error ERR

step() {
  STEP="$1"
  STEP_START=$(date +%s)
  echo "==> [setup] $STEP"
}
done_step() { echo "    done: $STEP ($(( $(date +%s) - STEP_START ))s)"; }
skip() { echo "    skip: $1"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# 1. Rust toolchain -----------------------------------------------------------
step "rust toolchain $TOOLCHAIN"
if ! command -v rustup >/dev/null; then
  echo "rustup is required (https://rustup.rs); it is not on PATH" >&2
  false
fi
installed_components="$(rustup component list --installed --toolchain "$TOOLCHAIN" 2>/dev/null || true)"
if echo "$installed_components" | grep -q '^rust-src' \
  && echo "$installed_components" | grep -q '^clippy' \
  && echo "$installed_components" | grep -q '^rustfmt' \
  && echo "$installed_components" | grep -q '^rust-std-wasm32-unknown-unknown'; then
  skip "toolchain $TOOLCHAIN with components already installed"
else
  rustup toolchain install "$TOOLCHAIN" --profile minimal \
    --component rust-src,clippy,rustfmt --target wasm32-unknown-unknown
fi
done_step

# 2. Debian packages ----------------------------------------------------------
step "debian packages"
missing=()
for pkg in protobuf-compiler clang libclang-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  skip "protobuf-compiler clang libclang-dev present"
elif command -v substrate-contracts-node >/dev/null || [ -n "${CONTRACTS_NODE:-}" ]; then
  skip "node already installed; ${missing[*]} not needed"
else
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}"
fi
done_step

# 3. substrate-contracts-node -------------------------------------------------
step "substrate-contracts-node $NODE_VERSION (about an hour on 2 cores the first time)"
if [ -n "${CONTRACTS_NODE:-}" ] && [ -x "${CONTRACTS_NODE}" ]; then
  skip "CONTRACTS_NODE=$CONTRACTS_NODE"
elif command -v substrate-contracts-node >/dev/null \
  && substrate-contracts-node --version 2>/dev/null | grep -q "$NODE_VERSION"; then
  skip "$(substrate-contracts-node --version)"
else
  # The runtime Wasm builds must resolve against the package's own Cargo.lock, so the
  # unpacked source directory is passed as the workspace hint (see docs/TOOLCHAIN.md).
  cargo "+$TOOLCHAIN" info "contracts-node@$NODE_VERSION" >/dev/null
  src_dir="$(ls -d "$CARGO_HOME"/registry/src/*/contracts-node-"$NODE_VERSION" | head -n 1)"
  [ -f "$src_dir/Cargo.lock" ] || { echo "no Cargo.lock in $src_dir" >&2; false; }
  RUSTUP_TOOLCHAIN="$TOOLCHAIN" WASM_BUILD_WORKSPACE_HINT="$src_dir" \
    cargo install contracts-node --version "$NODE_VERSION" --locked
fi
done_step

# 4. cargo-contract -----------------------------------------------------------
step "cargo-contract $CARGO_CONTRACT_VERSION"
if command -v cargo-contract >/dev/null \
  && cargo-contract --version 2>/dev/null | grep -q "$CARGO_CONTRACT_VERSION"; then
  skip "$(cargo-contract --version)"
else
  RUSTUP_TOOLCHAIN="$TOOLCHAIN" cargo install cargo-contract --version "$CARGO_CONTRACT_VERSION" --locked
fi
done_step

# 5. client npm packages ------------------------------------------------------
if [ -f client/package.json ]; then
  step "client npm packages"
  if [ -d client/node_modules/@polkadot/api-contract ] \
    && [ client/node_modules/.package-lock.json -nt client/package-lock.json ]; then
    skip "client/node_modules up to date"
  else
    (cd client && npm ci --no-audit --no-fund)
  fi
  done_step
fi

# 6. dapp: npm packages and chromium ------------------------------------------
if [ -f dapp/package.json ]; then
  step "dapp: chromium (Debian package) and npm packages"
  if [ -n "${CHROMIUM:-}" ] && [ -x "${CHROMIUM}" ]; then
    skip "CHROMIUM=$CHROMIUM"
  elif command -v chromium >/dev/null; then
    skip "chromium present"
  else
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium
  fi
  if [ -d dapp/node_modules/playwright-core ] && [ -d dapp/node_modules/esbuild ] \
    && [ dapp/node_modules/.package-lock.json -nt dapp/package-lock.json ]; then
    skip "dapp/node_modules up to date"
  else
    (cd dapp && npm ci --no-audit --no-fund)
  fi
  done_step
fi

echo "==> [setup] complete in $(( $(date +%s) - SETUP_START ))s"
