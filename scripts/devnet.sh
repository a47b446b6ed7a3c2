#!/usr/bin/env bash
# One command from a fresh clone to a running FUNC network on a local dev chain:
#   1. scripts/setup.sh (toolchain, substrate-contracts-node, cargo-contract, client npm packages)
#   2. builds the five contracts (release .contract bundles under $CARGO_TARGET_DIR/ink or target/ink)
#   3. starts substrate-contracts-node --dev (chain state under .devnet/, or --tmp)
#   4. deploys and wires the suite with the client (deployments/devnet.json)
#   5. plays a provider's life: a model, two providers (seed 1A and 1B), the scheduler's
#      reports for two epochs, claims after the reward delay, an unstake after the lock
#   6. builds the Function Network Dapp (dapp/) and serves it, prints its URL, the addresses
#      and how to open them in Polkadot.js Apps, then keeps the node and the page running until
#      Ctrl-C (or stops them with --exit)
#
# Usage: scripts/devnet.sh [--tmp] [--exit] [--port N] [--dapp-port N] [--no-setup] [--no-build] [--no-demo] [--no-dapp]
#   --tmp        throw the chain away when the node stops (default: keep it in .devnet/chain)
#   --exit       stop the node and exit after the demo instead of waiting for Ctrl-C
#   --port N     RPC port (default 9944)
#   --no-setup   skip scripts/setup.sh (everything already installed)
#   --no-build   reuse the bundles already built
#   --no-demo    deploy only
#   --dapp-port N  port of the dapp's web page (default 8080)
#   --no-dapp    do not build or serve the dapp
# Environment: CARGO_TARGET_DIR (bundles in $CARGO_TARGET_DIR/ink), CONTRACTS_NODE (node binary),
#   FUNC_ARTIFACTS (with --no-build: where the .contract bundles are).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# CONTRACTS (the five, in deployment order, from client/lib/contracts.js), cargo's bin on PATH
# and RUSTUP_TOOLCHAIN: contract builds run on the toolchain pinned in rust-toolchain.toml
# (see docs: Rust 1.86).
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

TMP=0
EXIT=0
PORT=9944
SETUP=1
BUILD=1
DEMO=1
DAPP=1
DAPP_PORT=8080
while [ $# -gt 0 ]; do
  case "$1" in
    --tmp) TMP=1 ;;
    --exit) EXIT=1 ;;
    --port) PORT="${2:?--port needs a number}"; shift ;;
    --port=*) PORT="${1#--port=}" ;;
    --no-setup) SETUP=0 ;;
    --no-build) BUILD=0 ;;
    --no-demo) DEMO=0 ;;
    --no-dapp) DAPP=0 ;;
    --dapp-port) DAPP_PORT="${2:?--dapp-port needs a number}"; shift ;;
    --dapp-port=*) DAPP_PORT="${1#--dapp-port=}" ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "devnet: unknown option $1 (see --help)" >&2; exit 1 ;;
  esac
  shift
done

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
# bundles: what this script builds, or (with --no-build) $FUNC_ARTIFACTS when set
if [ "$BUILD" = 1 ] || [ -z "${FUNC_ARTIFACTS:-}" ]; then
  FUNC_ARTIFACTS="$TARGET_DIR/ink"
fi
export FUNC_ARTIFACTS
DEVNET_DIR="$ROOT/.devnet"
URL="ws://127.0.0.1:$PORT"
NETWORK=devnet
DEPLOYMENT="$ROOT/deployments/$NETWORK.json"
NODE_PID=""
DAPP_PID=""

bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }
say() { printf '  %s\n' "$*"; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

cleanup() {
  if [ -n "$DAPP_PID" ] && kill -0 "$DAPP_PID" 2>/dev/null; then
    kill "$DAPP_PID" 2>/dev/null || true
    wait "$DAPP_PID" 2>/dev/null || true
  fi
  if [ -n "$NODE_PID" ] && kill -0 "$NODE_PID" 2>/dev/null; then
    echo
    echo "devnet: stopping the node (pid $NODE_PID)"
    kill "$NODE_PID" 2>/dev/null || true
    wait "$NODE_PID" 2>/dev/null || true
  fi
  rm -f "$DEVNET_DIR/node.pid"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# func <args…>: the client CLI against this devnet
func() { node "$ROOT/client/bin/func.js" "$@" --url "$URL" --deployment "$DEPLOYMENT"; }
# expect_refusal <what> <args…>: runs a command that must fail and shows its plain-words error
expect_refusal() {
  local what="$1"; shift
  local out
  if out="$(func "$@" --quiet 2>&1)"; then
    echo "devnet: expected a refusal ($what) but the call succeeded" >&2
    return 1
  fi
  say "refused as expected ($what):"
  say "  $out"
}

# 1. setup --------------------------------------------------------------------------------
if [ "$SETUP" = 1 ]; then
  bold "1/6 setup (scripts/setup.sh)"
  bash "$ROOT/scripts/setup.sh"
else
  bold "1/6 setup skipped (--no-setup)"
fi
command -v node >/dev/null || { echo "devnet: node (Node.js 20) is required" >&2; exit 1; }
[ -d "$ROOT/client/node_modules/@polkadot/api-contract" ] || (cd "$ROOT/client" && npm ci --no-audit --no-fund)

# 2. build --------------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  bold "2/6 building the contracts (release) into $FUNC_ARTIFACTS"
  command -v cargo-contract >/dev/null || { echo "devnet: cargo-contract not found (scripts/setup.sh installs it)" >&2; exit 1; }
  mkdir -p "$DEVNET_DIR"
  for name in "${CONTRACTS[@]}"; do
    t0=$(date +%s)
    say "cargo contract build --release --manifest-path contracts/$name/Cargo.toml"
    if ! cargo contract build --release --quiet --manifest-path "contracts/$name/Cargo.toml" >"$DEVNET_DIR/build-$name.log" 2>&1; then
      cat "$DEVNET_DIR/build-$name.log" >&2
      echo "devnet: building $name failed" >&2
      exit 1
    fi
    rm -f "$DEVNET_DIR/build-$name.log"
    say "  → $FUNC_ARTIFACTS/$name/$name.contract ($(elapsed "$t0"))"
  done
else
  bold "2/6 build skipped (--no-build): using $FUNC_ARTIFACTS"
fi
for name in "${CONTRACTS[@]}"; do
  [ -f "$FUNC_ARTIFACTS/$name/$name.contract" ] || { echo "devnet: missing $FUNC_ARTIFACTS/$name/$name.contract" >&2; exit 1; }
done

# 3. node ---------------------------------------------------------------------------------
bold "3/6 starting substrate-contracts-node on $URL"
NODE_BIN="${CONTRACTS_NODE:-$(command -v substrate-contracts-node || true)}"
[ -n "$NODE_BIN" ] && [ -x "$NODE_BIN" ] || { echo "devnet: substrate-contracts-node not found (set CONTRACTS_NODE or run scripts/setup.sh)" >&2; exit 1; }
mkdir -p "$DEVNET_DIR"
if [ -f "$DEVNET_DIR/node.pid" ] && kill -0 "$(cat "$DEVNET_DIR/node.pid")" 2>/dev/null; then
  echo "devnet: a devnet node is already running (pid $(cat "$DEVNET_DIR/node.pid")); stop it first" >&2
  exit 1
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "devnet: port $PORT is already in use; pass --port N" >&2
  exit 1
fi
if [ "$TMP" = 1 ]; then
  STATE_ARGS=(--tmp)
  say "chain state: temporary (--tmp)"
else
  STATE_ARGS=(--base-path "$DEVNET_DIR/chain")
  say "chain state: $DEVNET_DIR/chain (delete it for a fresh chain)"
fi
"$NODE_BIN" --dev "${STATE_ARGS[@]}" --rpc-port "$PORT" --rpc-cors all >"$DEVNET_DIR/node.log" 2>&1 &
NODE_PID=$!
echo "$NODE_PID" >"$DEVNET_DIR/node.pid"
say "node pid $NODE_PID, log $DEVNET_DIR/node.log"
for i in $(seq 1 120); do
  if curl -sf -H 'content-type: application/json' -d '{"id":1,"jsonrpc":"2.0","method":"system_health","params":[]}' "http://127.0.0.1:$PORT" >/dev/null 2>&1; then
    break
  fi
  kill -0 "$NODE_PID" 2>/dev/null || { tail -20 "$DEVNET_DIR/node.log" >&2; echo "devnet: the node exited" >&2; exit 1; }
  [ "$i" = 120 ] && { echo "devnet: the node did not answer within 60s (see $DEVNET_DIR/node.log)" >&2; exit 1; }
  sleep 0.5
done
say "node is up"

# 4. deploy -------------------------------------------------------------------------------
bold "4/6 deploying the suite (epochs of 5 blocks, lock 2 epochs, reward delay 2 epochs)"
func deploy --network "$NETWORK" --out "$DEPLOYMENT" \
  --epoch-length 5 --min-epochs-locked 2 --epoch-reward-delay 2 \
  --scheduler //Dave

# 5. a provider's life ---------------------------------------------------------------------
if [ "$DEMO" = 1 ]; then
  bold "5/6 a provider's life (admin //Alice, providers //Bob and //Charlie, scheduler //Dave)"
  MODEL=1

  bold "• the admin creates model $MODEL (stake requirement 1000 FUNC) and hands out FUNC"
  func create-model "$MODEL" --name llama-3-8b --shards 4 --compute-units 8 --stake 1000
  func transfer //Bob 5000 --quiet
  func transfer //Charlie 5000 --quiet

  bold "• seed 1A — Bob: register, get whitelisted, approve + stake_for_provider"
  func register bob-node --model "$MODEL" --provider-url https://bob.example:8080 --name "Bob's GPU" --suri //Bob
  expect_refusal "not whitelisted yet" stake bob-node --suri //Bob
  func whitelist bob-node
  func stake bob-node --suri //Bob
  expect_refusal "the stake is locked" unstake bob-node --suri //Bob

  bold "• seed 1B — Charlie: automatic whitelist on, approve + register_and_stake"
  func toggle-auto-whitelist --quiet
  func register-and-stake charlie-node --model "$MODEL" --provider-url https://charlie.example --name "Charlie's GPU" --suri //Charlie

  bold "• a gateway lists the active providers of model $MODEL"
  func providers --model "$MODEL" --quiet

  bold "• the admin funds the pool's rewards"
  func fund-rewards --model "$MODEL" --amount 1000
  E=$(func epoch --json --quiet | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).current_epoch))')

  bold "• the scheduler //Dave reports epochs $E and $((E + 1)), each once it has ended: Bob 6 shards, Charlie 4 of 10; 100 FUNC each"
  say "(an epoch can be reported, and corrected, from its end until it becomes claimable: reward delay 2 epochs)"
  expect_refusal "epoch $E has not ended" set-epoch-rewards --model "$MODEL" --epoch "$E" --total 100 --total-shards 10 \
    --shards bob-node=6,charlie-node=4 --suri //Dave
  for epoch in "$E" "$((E + 1))"; do
    func advance --to-epoch $((epoch + 1)) --quiet
    func set-epoch-rewards --model "$MODEL" --epoch "$epoch" --total 100 --total-shards 10 \
      --shards bob-node=6,charlie-node=4 --suri //Dave
  done
  expect_refusal "reward delay not over" claim bob-node --from "$E" --to "$((E + 1))" --suri //Bob

  bold "• epochs pass until epoch $((E + 1)) is claimable; the providers claim"
  func advance --to-epoch $((E + 3))
  func epoch --quiet
  func claim bob-node --from "$E" --to "$((E + 1))" --suri //Bob
  func claim-cluster --from 1 --suri //Charlie

  bold "• the lock is over: Bob unstakes"
  func unstake bob-node --suri //Bob
  func status bob-node --quiet
  func balance //Bob --quiet
  func balance //Charlie --quiet
else
  bold "5/6 demo skipped (--no-demo)"
fi

# 6. the dapp and where things are -----------------------------------------------------------
DAPP_URL=""
if [ "$DAPP" = 1 ]; then
  bold "6/6 the Function Network Dapp (dapp/): static build, served on 127.0.0.1:$DAPP_PORT"
  [ -d "$ROOT/dapp/node_modules/esbuild" ] || (cd "$ROOT/dapp" && npm ci --no-audit --no-fund)
  node "$ROOT/dapp/build.mjs" --out "$DEVNET_DIR/dapp"
  if (exec 3<>"/dev/tcp/127.0.0.1/$DAPP_PORT") 2>/dev/null; then
    echo "devnet: port $DAPP_PORT is already in use; pass --dapp-port N (or --no-dapp)" >&2
    exit 1
  fi
  node "$ROOT/dapp/serve.mjs" --port "$DAPP_PORT" --dist "$DEVNET_DIR/dapp" --deployment "$DEPLOYMENT" --rpc "$URL" >"$DEVNET_DIR/dapp.log" 2>&1 &
  DAPP_PID=$!
  for _ in $(seq 1 50); do
    grep -q '^dapp: http' "$DEVNET_DIR/dapp.log" 2>/dev/null && break
    kill -0 "$DAPP_PID" 2>/dev/null || { cat "$DEVNET_DIR/dapp.log" >&2; echo "devnet: the dapp server exited" >&2; exit 1; }
    sleep 0.1
  done
  DAPP_URL="$(sed -n 's/^dapp: //p' "$DEVNET_DIR/dapp.log" | head -n 1)"
  bold "the FUNC network is running"
else
  bold "6/6 the FUNC network is running (dapp skipped: --no-dapp)"
fi
node -e '
const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
for (const [n, c] of Object.entries(d.contracts)) console.log(`  ${n.padEnd(18)} ${c.address ?? "(code only: one pool per model, see below)"}`);
for (const [m, x] of Object.entries(d.models ?? {})) console.log(`  ${("pool of model " + m).padEnd(18)} ${x.pool}`);
' "$DEPLOYMENT"
cat <<EOF

  dapp (web page):  ${DAPP_URL:-not served (--no-dapp)}
                    dev accounts //Alice…//Ferdie are in its account list; Alice is the admin,
                    Dave the scheduler; a browser extension works too ("Connect browser extension")
  deployment file:  $DEPLOYMENT
  node RPC:         $URL (log: $DEVNET_DIR/node.log)
  CLI:              node client/bin/func.js help   (e.g. node client/bin/func.js epoch --deployment $DEPLOYMENT)

  Polkadot.js Apps: open https://polkadot.js.org/apps/?rpc=$URL#/contracts
    Contracts → "Add an existing contract": paste an address above and upload its bundle:
EOF
for name in "${CONTRACTS[@]}"; do
  label="$name"
  [ "$name" = provider_staking ] && label="pool of a model"
  printf '      %-18s %s\n' "$label" "$FUNC_ARTIFACTS/$name/$name.contract"
done
echo "    (the dev accounts Alice…Ferdie are in the browser's account list on a --dev chain)"

if [ "$EXIT" = 1 ]; then
  echo
  echo "devnet: --exit given, stopping"
  exit 0
fi
echo
echo "devnet: the node${DAPP_URL:+ and the dapp} keep running; press Ctrl-C to stop"

wait "$NODE_PID" || true
echo "devnet: the node stopped"
