# Helpers shared by the project's scripts. Source it from the repository root.

# The five contracts, in deployment order, from their one list: CONTRACT_NAMES in
# client/lib/contracts.js (one quoted name per line; read with sed, so no Node is needed).
CONTRACTS_SOURCE="$(dirname "${BASH_SOURCE[0]}")/../client/lib/contracts.js"
mapfile -t CONTRACTS < <(sed -n "/^export const CONTRACT_NAMES = /,/^]/s/^ *[\"']\([a-z0-9_]*\)[\"'],\{0,1\} *\(\/\/.*\)\{0,1\}\$/\1/p" "$CONTRACTS_SOURCE")
if [ "${#CONTRACTS[@]}" -eq 0 ]; then
  echo "lib.sh: no contract names read from CONTRACT_NAMES in $CONTRACTS_SOURCE" >&2
  return 1
fi

CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export PATH="$CARGO_HOME/bin:$PATH"
# Contract builds, ink_e2e and the node must all run on the pinned toolchain.
RUSTUP_TOOLCHAIN="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)"
export RUSTUP_TOOLCHAIN
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
START=$(date +%s)

# step <title> <command...>: runs a command, prints its duration, names it on failure.
step() {
  local title="$1"
  shift
  local began
  began=$(date +%s)
  echo "==> $title"
  if ! "$@"; then
    echo "FAILED: $title (after $(( $(date +%s) - began ))s)" >&2
    exit 1
  fi
  echo "    ok: $title ($(( $(date +%s) - began ))s)"
}

# build_contract <name>: optimized release build; artifacts in $TARGET_DIR/ink/<name>/.
build_contract() {
  cargo contract build --release --quiet --manifest-path "contracts/$1/Cargo.toml"
}

# A second code of provider_registry with the same storage layout (its debug build), which the
# e2e suite upgrades the registry to. Built before the release builds, which reuse the folder.
build_upgrade_code() {
  cargo contract build --quiet --manifest-path contracts/provider_registry/Cargo.toml
  mkdir -p "$TARGET_DIR/ink/upgrade"
  cp "$(artifact provider_registry wasm)" "$TARGET_DIR/ink/upgrade/provider_registry_upgrade.wasm"
}

# artifact <name> <ext>: path of a built artifact (.contract, .wasm, .json).
artifact() {
  echo "$TARGET_DIR/ink/$1/$1.$2"
}

print_contract_sizes() {
  local contract
  for contract in "${CONTRACTS[@]}"; do
    printf '    %-18s %7d bytes optimized Wasm\n' "$contract" "$(stat -c %s "$(artifact "$contract" wasm)")"
  done
}
