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

# The `upgrade-v2` test builds of the registry and the pool: the same contracts plus a storage
# item under a new key and two messages. The e2e upgrade test moves a live suite to them and
# back. Built before the release builds, which then rebuild the folders without the feature.
UPGRADE_V2=(provider_registry provider_staking)
build_upgrade_code() {
  local contract
  mkdir -p "$TARGET_DIR/ink/upgrade"
  for contract in "${UPGRADE_V2[@]}"; do
    cargo contract build --release --quiet --features upgrade-v2 \
      --manifest-path "contracts/$contract/Cargo.toml"
    cp "$(artifact "$contract" wasm)" "$TARGET_DIR/ink/upgrade/${contract}_v2.wasm"
  done
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
