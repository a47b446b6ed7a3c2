#!/usr/bin/env bash
# One command from a fresh clone to a running FUNC network on a local dev chain, the whole loop:
#   1. scripts/setup.sh (toolchain, substrate-contracts-node, cargo-contract, client npm packages)
#   2. builds the five contracts (release .contract bundles under $CARGO_TARGET_DIR/ink or target/ink)
#   3. starts substrate-contracts-node --dev (archive state under the devnet's folder, or --tmp)
#   4. deploys and wires the suite with the client (deployments/devnet-<port>.json)
#   5. plays the network: a model; two clearly labelled DEMO inference servers (echo, no model)
#      for the providers Bob (seed 1A) and Charlie (seed 1B), registered with their URLs; the
#      gateway (func gateway) routing requests to the active providers and writing usage; the
#      reporter (func reporter, //Alice's scheduler role) turning each ended epoch's usage into
#      rewards on chain; requests every epoch, claims once final, an unstake after the lock
#   6. builds the Function Network Dapp (dapp/) and serves it, prints the URLs (dapp, gateway,
#      /health and /metrics), the addresses and how to open them in Polkadot.js Apps, then keeps
#      the node, gateway, reporter, demo servers and page running until Ctrl-C (or --exit)
#
# Usage: scripts/devnet.sh [--port N] [--http-base N] [--dapp-port N] [--out DIR] [--tmp] [--exit]
#                          [--no-setup] [--no-build] [--no-demo] [--no-dapp]
#   --port N       node RPC port (default 9944); it keys the devnet: its folder and deployment file
#   --http-base N  first of five HTTP ports (default 8080): N dapp, N+1 gateway, N+2 reporter
#                  /health and /metrics, N+3 and N+4 the two demo inference servers
#   --dapp-port N  port of the dapp's web page alone (default: the --http-base port)
#   --out DIR      the devnet's folder (default .devnet/<port>): chain, pids, logs, dapp build,
#                  gateway usage; with --out the deployment file is DIR/deployment.json
#   --tmp          throw the chain away when the node stops (default: keep it in the folder)
#   --exit         stop everything after the demo instead of waiting for Ctrl-C
#   --no-setup     skip scripts/setup.sh (everything already installed)
#   --no-build     reuse the .contract bundles already built (no cargo)
#   --no-demo      deploy only, then the gateway and the reporter (no model, servers or traffic)
#   --no-dapp      do not build or serve the dapp
# Two devnets in one checkout run side by side on different ports, e.g.
#   scripts/devnet.sh --port 9944 --http-base 8080   and   scripts/devnet.sh --port 9945 --http-base 8090
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
HTTP_BASE=8080
DAPP_PORT=""
OUT=""
SETUP=1
BUILD=1
DEMO=1
DAPP=1
number() { [[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -ge 1 ] && [ "$2" -le 65535 ] || { echo "devnet: $1 needs a port number (1-65535), got \"$2\"" >&2; exit 1; }; }
while [ $# -gt 0 ]; do
  case "$1" in
    --tmp) TMP=1 ;;
    --exit) EXIT=1 ;;
    --port) PORT="${2:-}"; number --port "$PORT"; shift ;;
    --port=*) PORT="${1#--port=}"; number --port "$PORT" ;;
    --http-base) HTTP_BASE="${2:-}"; number --http-base "$HTTP_BASE"; shift ;;
    --http-base=*) HTTP_BASE="${1#--http-base=}"; number --http-base "$HTTP_BASE" ;;
    --dapp-port) DAPP_PORT="${2:-}"; number --dapp-port "$DAPP_PORT"; shift ;;
    --dapp-port=*) DAPP_PORT="${1#--dapp-port=}"; number --dapp-port "$DAPP_PORT" ;;
    --out) OUT="${2:?--out needs a folder}"; shift ;;
    --out=*) OUT="${1#--out=}" ;;
    --no-setup) SETUP=0 ;;
    --no-build) BUILD=0 ;;
    --no-demo) DEMO=0 ;;
    --no-dapp) DAPP=0 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "devnet: unknown option $1 (see --help)" >&2; exit 1 ;;
  esac
  shift
done
[ "$HTTP_BASE" -le 65531 ] || { echo "devnet: --http-base $HTTP_BASE leaves no room for its five ports (at most 65531)" >&2; exit 1; }

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
# bundles: what this script builds, or (with --no-build) $FUNC_ARTIFACTS when set
if [ "$BUILD" = 1 ] || [ -z "${FUNC_ARTIFACTS:-}" ]; then
  FUNC_ARTIFACTS="$TARGET_DIR/ink"
fi
export FUNC_ARTIFACTS

# Everything this devnet writes is keyed by its node port (or lives in --out DIR).
NETWORK="devnet-$PORT"
if [ -n "$OUT" ]; then
  case "$OUT" in /*) ;; *) OUT="$ROOT/$OUT" ;; esac
  DEPLOYMENT="$OUT/deployment.json"
else
  OUT="$ROOT/.devnet/$PORT"
  DEPLOYMENT="$ROOT/deployments/$NETWORK.json"
fi
URL="ws://127.0.0.1:$PORT"
DAPP_PORT="${DAPP_PORT:-$HTTP_BASE}"
GATEWAY_PORT=$((HTTP_BASE + 1))
REPORTER_PORT=$((HTTP_BASE + 2))
BOB_SERVER_PORT=$((HTTP_BASE + 3))
CHARLIE_SERVER_PORT=$((HTTP_BASE + 4))
GATEWAY="http://127.0.0.1:$GATEWAY_PORT"
USAGE_DIR="$OUT/usage"
MODEL=1
MODEL_NAME=llama-3-8b
EPOCH_REWARD=100 # FUNC per ended epoch with usage (the gateway's --epoch-reward)

NODE_PID=""
# services this run started: "pid name" lines, stopped in reverse order by cleanup
SERVICES=()
OWN_LOCK=0
NEW_OUT=0

bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }
say() { printf '  %s\n' "$*"; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }
die() { echo "devnet: $*" >&2; exit 1; }

stop_pid() { # stop_pid <pid> <name>: SIGTERM, then SIGKILL after 10 s
  local pid="$1" name="$2" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "devnet: $name (pid $pid) did not stop within 10 s; killing it"
    kill -9 "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# Stops only what this run started and removes only the pid files it wrote.
cleanup() {
  local i entry
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
    entry="${SERVICES[$i]}"
    kill -0 "${entry%% *}" 2>/dev/null && echo "devnet: stopping the ${entry#* } (pid ${entry%% *})"
    stop_pid "${entry%% *}" "${entry#* }"
    rm -f "$OUT/${entry#* }.pid"
  done
  if [ -n "$NODE_PID" ] && kill -0 "$NODE_PID" 2>/dev/null; then
    echo
    echo "devnet: stopping the node (pid $NODE_PID)"
    stop_pid "$NODE_PID" node
  fi
  [ -n "$NODE_PID" ] && rm -f "$OUT/node.pid"
  [ "$OWN_LOCK" = 1 ] && rm -f "$OUT/devnet.pid"
  if [ "$NEW_OUT" = 1 ]; then rmdir "$OUT" 2>/dev/null || true; fi # a folder this run made and left empty
  return 0
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

# start_service <name> <ready pattern> <command…>: runs a daemon in the background with its log in
# $OUT/<name>.log and its pid in $OUT/<name>.pid; waits (60 s) for the pattern in its log.
start_service() {
  local name="$1" ready="$2" pid i
  shift 2
  "$@" >"$OUT/$name.log" 2>&1 &
  pid=$!
  SERVICES+=("$pid $name")
  echo "$pid" >"$OUT/$name.pid"
  for i in $(seq 1 600); do
    grep -qE "$ready" "$OUT/$name.log" 2>/dev/null && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -20 "$OUT/$name.log" >&2
      die "$name exited (log: $OUT/$name.log)"
    fi
    sleep 0.1
  done
  tail -20 "$OUT/$name.log" >&2
  die "$name was not ready within 60 s (log: $OUT/$name.log)"
}

# wait_for <seconds> <what> <command…>: polls the command (every 0.5 s) until it succeeds
wait_for() {
  local t="$1" what="$2" i
  shift 2
  for i in $(seq 1 $((t * 2))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  die "timed out after ${t}s waiting for $what"
}

# blocks_to_epoch <epoch>: produces blocks until the epoch begins. On this dev chain blocks come
# only with transactions, so `func advance` sends remarks, signed by //Ferdie: never by //Alice,
# whose key the reporter uses.
blocks_to_epoch() { func advance --to-epoch "$1" --suri //Ferdie --quiet >/dev/null; }

# chain <what> <args…>: reads the chain with the client library (views only, nothing is signed)
#   epoch                         the current epoch
#   finalized <model>             the pool's finality frontier (finalized_through)
#   reward <model> <epoch> <id>…  the epoch's report, each provider's shards and reward
CHAIN_JS='
const lib = await import(process.env.FUNC_CLIENT_LIB);
const [what, ...args] = process.argv.slice(1);
const api = await lib.connect(process.env.FUNC_URL);
try {
  const d = lib.readDeployment(process.env.FUNC_DEPLOYMENT);
  const suite = new lib.Suite(api, { address: d.deployer ?? "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY" }, lib.loadBundles(), d);
  if (what === "epoch") {
    console.log(Number(await suite.epoch.query("current_epoch")));
  } else if (what === "finalized") {
    const pool = await suite.pool(Number(args[0]));
    console.log(Number(await pool.query("finalized_through")));
  } else if (what === "reward") {
    const pool = await suite.pool(Number(args[0]));
    const e = Number(args[1]);
    const r = await pool.query("epoch_reward", [e]);
    if (!r) {
      console.log(`epoch ${e}: no report on chain`);
    } else {
      const total = BigInt(r.total), shardsTotal = BigInt(r.total_shards);
      console.log(`epoch ${e} on chain: total ${lib.formatFunc(total)} over ${shardsTotal} shard(s)${total === 0n && shardsTotal === 0n ? " (an empty report)" : ""}`);
      for (const id of args.slice(2)) {
        const b = lib.providerIdBytes(id);
        const s = BigInt(await pool.query("provider_shards", [b, e]));
        const w = BigInt(await pool.query("view_rewards", [b, e, e]));
        console.log(`  ${id.padEnd(14)} ${String(s).padStart(3)} shard(s) → ${lib.formatFunc(w)}`);
      }
    }
  } else {
    throw new Error(`unknown query ${what}`);
  }
} finally {
  await api.disconnect();
}
'
chain() {
  FUNC_CLIENT_LIB="file://$ROOT/client/lib/index.js" FUNC_URL="$URL" FUNC_DEPLOYMENT="$DEPLOYMENT" \
    node --input-type=module -e "$CHAIN_JS" "$@"
}

# 0. this devnet's folder and ports, checked before anything starts ---------------------------
[ -d "$OUT" ] || NEW_OUT=1
mkdir -p "$OUT"
if [ -f "$OUT/devnet.pid" ] && kill -0 "$(cat "$OUT/devnet.pid")" 2>/dev/null; then
  die "another scripts/devnet.sh (pid $(cat "$OUT/devnet.pid")) uses $OUT; stop it, or pick another --port or --out"
fi
if [ -f "$OUT/node.pid" ] && kill -0 "$(cat "$OUT/node.pid")" 2>/dev/null; then
  die "a devnet node is already running from $OUT (pid $(cat "$OUT/node.pid")); stop it first"
fi
echo $$ >"$OUT/devnet.pid"
OWN_LOCK=1

PORTS=("node RPC, --port=$PORT")
if [ "$DAPP" = 1 ]; then PORTS+=("dapp, --dapp-port=$DAPP_PORT"); fi
PORTS+=("gateway, --http-base + 1=$GATEWAY_PORT" "reporter /health and /metrics, --http-base + 2=$REPORTER_PORT")
if [ "$DEMO" = 1 ]; then
  PORTS+=("Bob's demo server, --http-base + 3=$BOB_SERVER_PORT" "Charlie's demo server, --http-base + 4=$CHARLIE_SERVER_PORT")
fi
# Each port must be distinct and free: a listen test on 127.0.0.1 (what every service binds).
node -e '
const net = require("net");
const ports = process.argv.slice(1).map((s) => { const i = s.lastIndexOf("="); return [s.slice(0, i), Number(s.slice(i + 1))]; });
const seen = new Map();
let bad = 0;
for (const [what, p] of ports) {
  if (seen.has(p)) { console.error(`devnet: port ${p} is given twice: (${seen.get(p)}) and (${what})`); bad += 1; }
  seen.set(p, what);
}
(async () => {
  for (const [what, p] of ports) {
    const free = await new Promise((resolve) => {
      const s = net.createServer();
      s.once("error", () => resolve(false));
      s.listen(p, "127.0.0.1", () => s.close(() => resolve(true)));
    });
    if (!free) { console.error(`devnet: port ${p} (${what}) is already in use`); bad += 1; }
  }
  process.exit(bad ? 1 : 0);
})();
' "${PORTS[@]}" || die "pick other ports (--port N, --http-base N, --dapp-port N) and run again; nothing was started"

# 1. setup --------------------------------------------------------------------------------
if [ "$SETUP" = 1 ]; then
  bold "1/6 setup (scripts/setup.sh)"
  bash "$ROOT/scripts/setup.sh"
else
  bold "1/6 setup skipped (--no-setup)"
fi
command -v node >/dev/null || die "node (Node.js 20) is required"
[ -d "$ROOT/client/node_modules/@polkadot/api-contract" ] || (cd "$ROOT/client" && npm ci --no-audit --no-fund)

# 2. build --------------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  bold "2/6 building the contracts (release) into $FUNC_ARTIFACTS"
  command -v cargo-contract >/dev/null || die "cargo-contract not found (scripts/setup.sh installs it)"
  for name in "${CONTRACTS[@]}"; do
    t0=$(date +%s)
    say "cargo contract build --release --manifest-path contracts/$name/Cargo.toml"
    if ! cargo contract build --release --quiet --manifest-path "contracts/$name/Cargo.toml" >"$OUT/build-$name.log" 2>&1; then
      cat "$OUT/build-$name.log" >&2
      die "building $name failed"
    fi
    rm -f "$OUT/build-$name.log"
    say "  → $FUNC_ARTIFACTS/$name/$name.contract ($(elapsed "$t0"))"
  done
else
  bold "2/6 build skipped (--no-build): using $FUNC_ARTIFACTS"
fi
for name in "${CONTRACTS[@]}"; do
  [ -f "$FUNC_ARTIFACTS/$name/$name.contract" ] || die "missing $FUNC_ARTIFACTS/$name/$name.contract"
done

# 3. node ---------------------------------------------------------------------------------
bold "3/6 starting substrate-contracts-node on $URL (devnet folder $OUT)"
NODE_BIN="${CONTRACTS_NODE:-$(command -v substrate-contracts-node || true)}"
[ -n "$NODE_BIN" ] && [ -x "$NODE_BIN" ] || die "substrate-contracts-node not found (set CONTRACTS_NODE or run scripts/setup.sh)"
if [ "$TMP" = 1 ]; then
  STATE_ARGS=(--tmp)
  say "chain state: temporary (--tmp)"
else
  STATE_ARGS=(--base-path "$OUT/chain")
  say "chain state: $OUT/chain (delete it for a fresh chain)"
fi
# Archive state, so that old blocks (func history, the dapp's History) stay readable. --port 0:
# the unused p2p port is any free one; no mDNS (two dev nodes must not find each other) and no
# Prometheus port (9615 would collide between devnets).
"$NODE_BIN" --dev "${STATE_ARGS[@]}" --state-pruning archive --rpc-port "$PORT" --rpc-cors all \
  --port 0 --no-mdns --no-prometheus >"$OUT/node.log" 2>&1 &
NODE_PID=$!
echo "$NODE_PID" >"$OUT/node.pid"
say "node pid $NODE_PID, log $OUT/node.log"
for i in $(seq 1 240); do
  if curl -sf -H 'content-type: application/json' -d '{"id":1,"jsonrpc":"2.0","method":"system_health","params":[]}' "http://127.0.0.1:$PORT" >/dev/null 2>&1; then
    break
  fi
  kill -0 "$NODE_PID" 2>/dev/null || { tail -20 "$OUT/node.log" >&2; die "the node exited"; }
  [ "$i" = 240 ] && die "the node did not answer within 120s (see $OUT/node.log)"
  sleep 0.5
done
say "node is up"

# 4. deploy -------------------------------------------------------------------------------
bold "4/6 deploying the suite (epochs of 5 blocks, lock 2 epochs, reward delay 2 epochs; //Alice owns it and holds every role)"
func deploy --network "$NETWORK" --out "$DEPLOYMENT" \
  --epoch-length 5 --min-epochs-locked 2 --epoch-reward-delay 2
# The gateway's usage and the reporter's input belong to this deployment: start them empty.
rm -rf "$USAGE_DIR"
mkdir -p "$USAGE_DIR"

# The two daemons of the network; the reporter signs with //Alice (the owner holds every role):
# its key is in its environment (FUNC_SURI), never on a command line.
start_gateway() {
  bold "• the gateway: routes requests to the active providers read from the chain, writes usage"
  say "func gateway --listen 127.0.0.1:$GATEWAY_PORT --usage $USAGE_DIR --allow-private --epoch-reward $EPOCH_REWARD"
  say "(--allow-private: the demo servers are on loopback; --epoch-reward: each ended epoch with usage"
  say " becomes a report of $EPOCH_REWARD FUNC split by successful requests, an epoch without usage an empty report)"
  start_service gateway '^[^ ]+ gateway listening on ' \
    node "$ROOT/client/bin/func.js" gateway --url "$URL" --deployment "$DEPLOYMENT" \
    --listen "127.0.0.1:$GATEWAY_PORT" --usage "$USAGE_DIR" --allow-private \
    --epoch-reward "$EPOCH_REWARD" --health-interval-ms 2000 --log-requests
  sed 's/^[^ ]* /  gateway: /' "$OUT/gateway.log"
}
start_reporter() {
  bold "• the reporter: //Alice's scheduler role reports every ended epoch from the gateway's files"
  say "FUNC_SURI=<in its environment> func reporter --source $USAGE_DIR --metrics-port $REPORTER_PORT"
  FUNC_SURI=//Alice start_service reporter ' reporter started: ' \
    node "$ROOT/client/bin/func.js" reporter --url "$URL" --deployment "$DEPLOYMENT" \
    --source "$USAGE_DIR" --metrics-port "$REPORTER_PORT"
  sed 's/^[^ ]* /  reporter: /' "$OUT/reporter.log"
}

# 5. the network at work -------------------------------------------------------------------
if [ "$DEMO" = 1 ]; then
  bold "5/6 the whole loop (admin //Alice, providers //Bob and //Charlie): demo servers → gateway → usage → reporter → rewards → claims"

  bold "• the admin creates model $MODEL ($MODEL_NAME, stake requirement 1000 FUNC), hands out FUNC and funds the pool's rewards"
  func create-model "$MODEL" --name "$MODEL_NAME" --shards 4 --compute-units 8 --stake 1000
  func transfer //Bob 5000 --quiet
  func transfer //Charlie 5000 --quiet
  func fund-rewards --model "$MODEL" --amount 3000 --quiet

  bold "• two DEMO inference servers (they echo the prompt; no model runs) stand in for Bob's and Charlie's GPU nodes"
  start_service demo-server-bob ' DEMO inference server .* listening on ' \
    node "$ROOT/client/bin/func.js" demo-provider --listen "127.0.0.1:$BOB_SERVER_PORT" --name "bob-node (DEMO server)" --model-name "$MODEL_NAME"
  start_service demo-server-charlie ' DEMO inference server .* listening on ' \
    node "$ROOT/client/bin/func.js" demo-provider --listen "127.0.0.1:$CHARLIE_SERVER_PORT" --name "charlie-node (DEMO server)" --model-name "$MODEL_NAME"
  say "Bob's:     http://127.0.0.1:$BOB_SERVER_PORT   (log $OUT/demo-server-bob.log)"
  say "Charlie's: http://127.0.0.1:$CHARLIE_SERVER_PORT   (log $OUT/demo-server-charlie.log)"

  start_gateway

  bold "• seed 1A — Bob: register his server's URL, get whitelisted, approve + stake_for_provider"
  func register bob-node --model "$MODEL" --provider-url "http://127.0.0.1:$BOB_SERVER_PORT" --name "Bob's GPU (demo server)" --suri //Bob
  expect_refusal "not whitelisted yet" stake bob-node --suri //Bob
  func whitelist bob-node
  func stake bob-node --suri //Bob
  expect_refusal "the stake is locked" unstake bob-node --suri //Bob

  bold "• seed 1B — Charlie: automatic whitelist on, approve + register_and_stake"
  func toggle-auto-whitelist --quiet
  func register-and-stake charlie-node --model "$MODEL" --provider-url "http://127.0.0.1:$CHARLIE_SERVER_PORT" --name "Charlie's GPU (demo server)" --suri //Charlie

  bold "• model $MODEL's active providers, as the gateway reads them"
  func providers --model "$MODEL" --quiet

  # Claims never pass an ended epoch with stake that is neither reported nor closed: the gateway
  # writes a report (an empty one without usage) for every epoch from the one it started in, so
  # only epochs with stake before that would need closing.
  GATEWAY_FIRST=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).models[process.argv[2]]?.first_epoch ?? "")' "$USAGE_DIR/usage/state.json" "$MODEL")
  STAKED_FIRST=$(for id in bob-node charlie-node; do func status "$id" --json --quiet | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).last_stake_epoch))'; done | sort -n | head -n 1)
  [ -n "$GATEWAY_FIRST" ] || die "the gateway did not record the first epoch it serves model $MODEL ($USAGE_DIR/usage/state.json)"
  if [ "$STAKED_FIRST" -lt "$GATEWAY_FIRST" ]; then
    say "the pool held stake from epoch $STAKED_FIRST, before the gateway served it (epoch $GATEWAY_FIRST): closing epochs up to $((GATEWAY_FIRST - 1)) as empty"
    blocks_to_epoch "$GATEWAY_FIRST"
    func close-epochs --model "$MODEL" --through $((GATEWAY_FIRST - 1))
  else
    say "every epoch with stake is covered: the gateway serves model $MODEL from epoch $GATEWAY_FIRST, the first stake is in epoch $STAKED_FIRST"
  fi

  # From here on the script signs nothing with //Alice: the reporter owns her nonce (two senders
  # of one account make each other's transactions "outdated").
  start_reporter

  # request <tag> [path]: one chat completion through the gateway, routed by the body's "model"
  # (POST /v1/chat/completions) or by the path (POST /models/<id>/v1/chat/completions)
  request() {
    curl -sS -D "$OUT/last-request.headers" -o "$OUT/last-request.body" -w '%{http_code}' \
      -H 'content-type: application/json' \
      -d "{\"model\":\"$MODEL_NAME\",\"messages\":[{\"role\":\"user\",\"content\":\"What does a FUNC provider earn? (request $1)\"}]}" \
      "$GATEWAY${2:-/v1/chat/completions}"
  }
  # served_by: the provider the gateway chose for the last request
  served_by() { sed -n 's/^x-func-provider: *\([^[:space:]]*\).*/\1/ip' "$OUT/last-request.headers"; }
  # reported <epoch>: the reporter's log has the epoch's report
  reported() { grep -q "model $MODEL epoch $1: set_epoch_reward" "$OUT/reporter.log"; }

  FIRST=$(chain epoch)
  TRAFFIC=3
  LAST_TRAFFIC=$((FIRST + TRAFFIC - 1))
  bold "• $TRAFFIC epochs of traffic ($FIRST–$LAST_TRAFFIC), then a quiet one; each ended epoch: usage → reporter input → report on chain"
  for ((epoch = FIRST; epoch <= LAST_TRAFFIC + 1; epoch++)); do
    n=0
    if [ "$epoch" -le "$LAST_TRAFFIC" ]; then
      for ((r = 1; r <= 3 + epoch - FIRST; r++)); do
        path=/v1/chat/completions
        [ "$r" = 2 ] && path="/models/$MODEL/v1/chat/completions"
        code=$(request "$epoch.$r" "$path")
        [ "$code" = 200 ] || { cat "$OUT/last-request.body" >&2; die "the gateway answered $code"; }
        n=$((n + 1))
        if [ "$epoch" = "$FIRST" ] && [ "$r" = 1 ]; then
          say "a request through the gateway (epoch $epoch):"
          say "  curl $GATEWAY/v1/chat/completions -H 'content-type: application/json' \\"
          say "       -d '{\"model\":\"$MODEL_NAME\",\"messages\":[{\"role\":\"user\",\"content\":\"What does a FUNC provider earn? (request $epoch.$r)\"}]}'"
          say "  → HTTP $code, served by $(served_by) (x-func-provider); the answer:"
          node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(JSON.stringify(j,null,2).replace(/^/gm,"      "))' "$OUT/last-request.body"
        fi
        if [ "$epoch" = "$FIRST" ] && [ "$r" = 2 ]; then
          say "the same by path: POST $GATEWAY$path → HTTP $code, served by $(served_by)"
        fi
      done
      say "epoch $epoch: $n requests through the gateway"
    else
      say "epoch $epoch: no requests (a quiet epoch)"
    fi
    blocks_to_epoch $((epoch + 1))
    wait_for 60 "the gateway's reporter input for epoch $epoch" test -f "$USAGE_DIR/$MODEL/$epoch.json"
    say "  epoch $epoch ended; the gateway wrote $USAGE_DIR/$MODEL/$epoch.json: $(cat "$USAGE_DIR/$MODEL/$epoch.json")"
    wait_for 90 "the reporter's report of epoch $epoch" reported "$epoch"
    grep "model $MODEL epoch $epoch: " "$OUT/reporter.log" | sed 's/^/  reporter: /'
    if [ "$epoch" = "$FIRST" ]; then
      expect_refusal "epoch $FIRST is reported but not final: the reward delay has not passed" \
        claim bob-node --from "$FIRST" --to "$FIRST" --suri //Bob
    fi
  done

  bold "• the usage file of epoch $FIRST (what the gateway measured; latency_hist buckets left out)"
  say "$USAGE_DIR/usage/$MODEL/$FIRST.json:"
  node -e '
const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
for (const p of Object.values(j.providers ?? {})) delete p.latency_hist;
console.log(JSON.stringify(j, null, 2).replace(/^/gm, "    "));' "$USAGE_DIR/usage/$MODEL/$FIRST.json"
  say "the policy: shards = successful requests per provider; total = $EPOCH_REWARD FUNC when the epoch had any, else an empty report"

  bold "• the rewards these reports became (pool views; reward = total × shards / total shards)"
  for ((epoch = FIRST; epoch <= LAST_TRAFFIC + 1; epoch++)); do
    chain reward "$MODEL" "$epoch" bob-node charlie-node | sed 's/^/  /'
  done

  bold "• finality: epoch $LAST_TRAFFIC can be claimed once final (if it is not yet, epochs pass, each reported as it ends)"
  for _ in $(seq 1 12); do
    fin=$(chain finalized "$MODEL")
    [ "$fin" -ge "$LAST_TRAFFIC" ] && break
    cur=$(chain epoch)
    blocks_to_epoch $((cur + 1))
    wait_for 90 "the reporter's report of epoch $cur" reported "$cur"
    say "epoch $cur ended and was reported ($(grep -c "model $MODEL epoch $cur: " "$OUT/reporter.log") transaction(s)); the pool is final through epoch $(chain finalized "$MODEL")"
  done
  fin=$(chain finalized "$MODEL")
  [ "$fin" -ge "$LAST_TRAFFIC" ] || die "the pool is final only through epoch $fin (expected $LAST_TRAFFIC); see $OUT/reporter.log"
  say "the model $MODEL pool is final through epoch $fin (finalized_through): every epoch up to it is reported and past its correction window"
  func epoch --quiet

  bold "• what the operators see: the reporter's /health and a few /metrics lines of both daemons"
  say "GET http://127.0.0.1:$REPORTER_PORT/health → $(curl -sS "http://127.0.0.1:$REPORTER_PORT/health")"
  curl -sS "http://127.0.0.1:$REPORTER_PORT/metrics" | grep -E '^func_reporter_(last_reported_epoch|epochs_behind|reward_funding_epochs_left)\{' | sed 's/^/  reporter: /' || true
  curl -sS "$GATEWAY/metrics" | grep -E '^func_gateway_(requests_total|upstream_attempts_total|reports_written_total|active_providers)\{' | head -n 8 | sed 's/^/  gateway:  /' || true

  bold "• the providers claim what they earned"
  func status bob-node --quiet
  func claim bob-node --suri //Bob
  func claim-cluster --from 1 --suri //Charlie

  bold "• the lock is over: Bob unstakes; the gateway stops routing to bob-node at its next refresh"
  func unstake bob-node --suri //Bob
  only_charlie() { curl -sf "$GATEWAY/health" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s).models["'"$MODEL"'"];process.exit(m&&m.active===1&&m.providers[0].id==="charlie-node"?0:1)})'; }
  wait_for 30 "the gateway to drop bob-node" only_charlie
  code=$(request after-unstake)
  say "a request after the unstake → HTTP $code, served by $(served_by)"
  func balance //Bob --quiet
  func balance //Charlie --quiet

  bold "• bob-node's life from the suite's events (func history; the node keeps archive state)"
  func history --provider bob-node --quiet
else
  bold "5/6 demo skipped (--no-demo): the gateway and the reporter run with no model yet"
  start_gateway
  start_reporter
fi

# 6. the dapp and where things are -----------------------------------------------------------
DAPP_URL=""
if [ "$DAPP" = 1 ]; then
  bold "6/6 the Function Network Dapp (dapp/): static build, served on 127.0.0.1:$DAPP_PORT"
  [ -d "$ROOT/dapp/node_modules/esbuild" ] || (cd "$ROOT/dapp" && npm ci --no-audit --no-fund)
  node "$ROOT/dapp/build.mjs" --out "$OUT/dapp"
  start_service dapp '^dapp: http' \
    node "$ROOT/dapp/serve.mjs" --port "$DAPP_PORT" --dist "$OUT/dapp" --deployment "$DEPLOYMENT" --rpc "$URL"
  DAPP_URL="$(sed -n 's/^dapp: //p' "$OUT/dapp.log" | head -n 1)"
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
                    dev accounts //Alice…//Ferdie are in its account list; Alice is the admin and
                    the scheduler; a browser extension works too ("Connect browser extension")
  gateway:          $GATEWAY   (POST /v1/chat/completions, /models/<id>/<path>, GET /v1/models)
                    $GATEWAY/health  $GATEWAY/metrics   (log $OUT/gateway.log)
  reporter:         http://127.0.0.1:$REPORTER_PORT/health  http://127.0.0.1:$REPORTER_PORT/metrics   (log $OUT/reporter.log)
EOF
if [ "$DEMO" = 1 ]; then
  cat <<EOF
  demo servers:     http://127.0.0.1:$BOB_SERVER_PORT (bob-node), http://127.0.0.1:$CHARLIE_SERVER_PORT (charlie-node) — DEMO echo servers, no model
  usage:            $USAGE_DIR/usage/$MODEL/<epoch>.json (measured), $USAGE_DIR/$MODEL/<epoch>.json (reporter input)
  try:              curl $GATEWAY/v1/chat/completions -H 'content-type: application/json' -d '{"model":"$MODEL_NAME","messages":[{"role":"user","content":"hi"}]}'
                    blocks come only with transactions; produce an epoch (5 blocks) at a time and let
                    the reporter catch up (a report is final two epochs after its epoch), with an
                    account other than //Alice, whose key the reporter uses: "Produce N blocks" in
                    the dapp, or
                    node client/bin/func.js advance --blocks 5 --suri //Ferdie --url $URL --deployment $DEPLOYMENT
EOF
fi
cat <<EOF
  deployment file:  $DEPLOYMENT
  node RPC:         $URL (log: $OUT/node.log)
  CLI:              node client/bin/func.js help   (e.g. node client/bin/func.js epoch --url $URL --deployment $DEPLOYMENT)

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
RUNNING="the node, the gateway, the reporter"
[ "$DEMO" = 1 ] && RUNNING="$RUNNING, the demo servers"
[ -n "$DAPP_URL" ] && RUNNING="$RUNNING and the dapp"
echo "devnet: $RUNNING keep running; press Ctrl-C to stop"

wait "$NODE_PID" || true
echo "devnet: the node stopped"
