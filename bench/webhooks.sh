#!/usr/bin/env bash
# Webhook delivery benchmark (issue 4): a local receiver (bench/webhook_receiver.py) and the
# real server; `waybill bench emit-events` appends synthetic events to the outbox from another
# process, each stamped with its emission time.
#
#   bench/webhooks.sh sqlite|postgres
#
# Phase 1 ("steady"): RATE events/s (default 1000) for DURATION_S seconds (default 10); reports
#   deliveries/s and change-to-delivery latency p50/p99 (emission to arrival at the receiver).
# Phase 2 ("burst"): BURST_RATE events/s (default 5000) for 4 s; reports the drain rate.
#
# On SQLite the emitter is another process, so the dispatcher finds its events by polling;
# the script sets WAYBILL_WEBHOOK_POLL_INTERVAL=0.01 (in-process writers such as the sync
# engine wake it directly). On PostgreSQL LISTEN/NOTIFY wakes it.
# Loopback only. SKIP_BUILD=1 reuses target/release/waybill; BIN=path picks another binary.
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND=${1:-sqlite}
RATE=${RATE:-1000}
SECONDS_RUN=${DURATION_S:-10}
BURST_RATE=${BURST_RATE:-5000}
[ -n "${SKIP_BUILD:-}" ] || [ -n "${BIN:-}" ] || cargo build --release -q
BIN=${BIN:-$PWD/target/release/waybill}
WORK=$(mktemp -d /tmp/waybill-hooks-bench.XXXXXX)
export WAYBILL_DATA_DIR=$WORK WAYBILL_LOG=warn WAYBILL_WEBHOOKS_ALLOW_PRIVATE=true
export WAYBILL_MASTER_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
ADMIN=${WAYBILL_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
if [ "$BACKEND" = postgres ]; then
  DB="waybill_hooks_bench_$(date +%s)"
  psql "$ADMIN" -qc "CREATE DATABASE $DB"
  export WAYBILL_DATABASE_URL="${ADMIN%/*}/$DB"
else
  unset WAYBILL_DATABASE_URL
  export WAYBILL_WEBHOOK_POLL_INTERVAL=0.01
fi

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "$BACKEND" = postgres ] && psql "$ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
}
trap cleanup EXIT

ORG_JSON=$($BIN org create --name bench --json)
ORG=$(echo "$ORG_JSON" | sed -E 's/.*"organization_id":"([^"]+)".*/\1/')
KEY=$(echo "$ORG_JSON" | sed -E 's/.*"api_key":"([^"]+)".*/\1/')
PORT=$((20000 + RANDOM % 20000))
$BIN serve --addr 127.0.0.1:$PORT --no-rate-limit > "$WORK/serve.out" 2> "$WORK/serve.err" &
PIDS+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

run_phase() { # label rate seconds receiver-port
  local log="$WORK/$1.log" expected=$(($2 * $3)) RPORT=$4
  : > "$log"
  python3 bench/webhook_receiver.py "$RPORT" "$log" &
  local rpid=$!
  PIDS+=($rpid)
  sleep 0.5
  local ep
  ep=$(curl -s -X POST "http://127.0.0.1:$PORT/webhooks/endpoints" -H "x-trackstar-api-key: $KEY" \
    -H 'content-type: application/json' -d "{\"url\": \"http://127.0.0.1:$RPORT/hook\"}" | sed -E 's/.*"id":"(ep_[^"]+)".*/\1/')
  $BIN bench emit-events --organization "$ORG" --rate "$2" --seconds "$3" > /dev/null
  for _ in $(seq 1 600); do
    [ "$(cut -d, -f1 "$log" | sort -u | wc -l)" -ge "$expected" ] && break
    sleep 0.1
  done
  kill "$rpid" 2>/dev/null || true
  curl -s -X DELETE "http://127.0.0.1:$PORT/webhooks/endpoints/$ep" -H "x-trackstar-api-key: $KEY" > /dev/null
  python3 bench/webhook_stats.py "$log" "$BACKEND $1 ($2 events/s for $3 s)"
}

echo "== webhooks on $BACKEND"
run_phase steady "$RATE" "$SECONDS_RUN" $((PORT + 1))
run_phase burst "$BURST_RATE" 4 $((PORT + 2))
echo "server peak RSS: $(grep VmHWM /proc/${PIDS[0]}/status | awk '{print $2, $3}')"
