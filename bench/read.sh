#!/usr/bin/env bash
# Read benchmark (issue 3): loads N sandbox WMS orders (plus products, inventory and the rest of
# the simulated warehouse) into SQLite or PostgreSQL through the CLI's bulk path, then drives
# the real server over loopback with wrk at 16 connections, rate limits off.
#
#   bench/read.sh sqlite   [orders]     # default 1000000
#   bench/read.sh postgres [orders]     # uses $WAYBILL_BENCH_POSTGRES_URL or the local test server
#
# WORK=/path keeps the loaded database there and reuses it on the next run (no reload).
#
# Prints one line per scenario: throughput, p50, p99, bytes per response; then peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND=${1:-sqlite}
ORDERS=${2:-1000000}
DURATION=${DURATION:-15s}
CONNS=${CONNS:-16}
THREADS=${THREADS:-2}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }

[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q
BIN=$PWD/target/release/waybill
KEEP=${WORK:+1}
WORK=${WORK:-$(mktemp -d /tmp/waybill-bench.XXXXXX)}
mkdir -p "$WORK"
export WAYBILL_DATA_DIR=$WORK WAYBILL_LOG=warn
[ -f "$WORK/master.hex" ] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$WORK/master.hex"
export WAYBILL_MASTER_KEY=$(cat "$WORK/master.hex")
ADMIN=${WAYBILL_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
if [ "$BACKEND" = postgres ]; then
  [ -f "$WORK/pgdb" ] || { echo "waybill_bench_$(date +%s)" > "$WORK/pgdb"; psql "$ADMIN" -qc "CREATE DATABASE $(cat "$WORK/pgdb")"; }
  DB=$(cat "$WORK/pgdb")
  export WAYBILL_DATABASE_URL="${ADMIN%/*}/$DB"
else
  unset WAYBILL_DATABASE_URL
fi

if [ ! -f "$WORK/loaded.json" ]; then
  ORG_JSON=$($BIN org create --name bench --json)
  ORG=$(echo "$ORG_JSON" | sed -E 's/.*"organization_id":"([^"]+)".*/\1/')
  echo "== ingest: $ORDERS orders (plus products and inventory) into $BACKEND"
  START=$(date +%s.%N)
  SB=$($BIN sandbox generate --organization "$ORG" --type wms --orders "$ORDERS" --functions get_orders,get_products,get_inventory --json)
  END=$(date +%s.%N)
  echo "ingest_seconds $(echo "$END - $START" | bc)"
  date -u +%s > "$WORK/load_end"
  echo "$ORDERS" > "$WORK/orders"
  echo "$ORG_JSON" > "$WORK/org.json"
  echo "$SB" > "$WORK/loaded.json"
fi
KEY=$(sed -E 's/.*"api_key":"([^"]+)".*/\1/' "$WORK/org.json")
TOKEN=$(sed -E 's/.*"access_token":"([^"]+)".*/\1/' "$WORK/loaded.json")

PORT=$((20000 + RANDOM % 20000))
$BIN serve --addr 127.0.0.1:$PORT --no-rate-limit > "$WORK/serve.out" 2> "$WORK/serve.err" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT"
H=(-H "x-trackstar-api-key: $KEY" -H "x-trackstar-access-token: $TOKEN")

# Inputs: a 7-day window ending at the newest order, the token of page 500, ids for gets,
# and an incremental cursor at the last minute of the load.
LOADED=$(cat "$WORK/load_end")
NOW=$(date -u -d "@$LOADED" +%Y-%m-%dT%H:%M:%SZ)
WEEK_AGO=$(date -u -d "@$((LOADED - 7 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
RECENT=$(date -u -d "@$((LOADED - 5))" +%Y-%m-%dT%H:%M:%SZ)
TOK=""
for _ in $(seq 1 499); do
  TOK=$(curl -s "${H[@]}" "$BASE/wms/orders?limit=100${TOK:+&page_token=$TOK}" -o "$WORK/page.json" -w '' ; sed -E 's/.*"next_token":"([^"]+)".*/\1/' "$WORK/page.json")
done
PAGE500="/wms/orders?limit=100&page_token=$TOK"
curl -s "${H[@]}" "$BASE/wms/orders?limit=1000" | grep -o '"id":"ord_[^"]*"' | sed -E 's/"id":"([^"]+)"/\1/' | sort -u | head -1000 > "$WORK/ids.txt"
cat > "$WORK/ids.lua" <<LUA
ids = {}
for line in io.lines("$WORK/ids.txt") do ids[#ids + 1] = line end
request = function()
  return wrk.format("GET", "/wms/orders/" .. ids[math.random(#ids)])
end
LUA

run() {
  local name=$1 path=$2 script=${3:-}
  local bytes
  bytes=$(curl -s "${H[@]}" -o /dev/null -w '%{size_download}' "$BASE$path")
  local out
  if [ -n "$script" ]; then
    out=$(wrk -t$THREADS -c$CONNS -d$DURATION --latency -s "$script" "${H[@]}" "$BASE")
  else
    out=$(wrk -t$THREADS -c$CONNS -d$DURATION --latency "${H[@]}" "$BASE$path")
  fi
  local rps p50 p99 non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  printf '%-28s rps=%-10s p50=%-10s p99=%-10s bytes=%-8s non2xx=%s\n' "$name" "$rps" "$p50" "$p99" "$bytes" "${non2xx:-0}"
}

echo "== read: $CONNS connections, $DURATION each ($BACKEND, $ORDERS orders)"
run "a healthz" "/healthz"
run "b orders limit=100" "/wms/orders?limit=100"
run "c status[in]+7d created" "/wms/orders?limit=100&status%5Bin%5D=fulfilled,open&created_date%5Bgte%5D=$WEEK_AGO&created_date%5Blte%5D=$NOW"
run "d page 500 of limit=100" "$PAGE500"
run "e order by id" "/wms/orders/$(head -1 "$WORK/ids.txt")" "$WORK/ids.lua"
run "f incremental tud[gte]" "/wms/orders?limit=100&trackstar_updated_date%5Bgte%5D=$RECENT"
echo "peak_rss_kb $(awk '/VmHWM/ {print $2}' /proc/$PID/status)"
kill $PID
wait $PID 2>/dev/null || true
if [ -z "$KEEP" ]; then
  if [ "$BACKEND" = postgres ]; then psql "$ADMIN" -qc "DROP DATABASE $DB WITH (FORCE)"; fi
  rm -rf "$WORK"
fi
