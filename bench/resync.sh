#!/usr/bin/env bash
# Resync benchmark (issue 4): over a database loaded by bench/read.sh (WORK=...), runs an
# on-demand sync of every order over the whole window. Every record comes back unchanged, so
# this measures the change-detection path: pull, hash, compare, no write.
#
# CHANGED_PERCENT=1 first changes that share of the orders in the simulated vendor (every
# 100th order gets a new updated_date and one more tag, via the hidden `waybill bench
# change-sandbox`), so the resync stores those changes and fires their order.updated events.
#
#   WORK=/work/bench-sqlite bench/resync.sh sqlite
#   WORK=/work/bench-pg bench/resync.sh postgres
#   CHANGED_PERCENT=1 WORK=/work/bench-sqlite bench/resync.sh sqlite
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND=${1:-sqlite}
: "${WORK:?set WORK to a directory loaded by bench/read.sh}"
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q
BIN=${BIN:-$PWD/target/release/waybill}
export WAYBILL_DATA_DIR=$WORK WAYBILL_LOG=warn WAYBILL_MASTER_KEY=$(cat "$WORK/master.hex")
if [ "$BACKEND" = postgres ]; then
  ADMIN=${WAYBILL_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
  export WAYBILL_DATABASE_URL="${ADMIN%/*}/$(cat "$WORK/pgdb")"
else
  unset WAYBILL_DATABASE_URL
fi
KEY=$(sed -E 's/.*"api_key":"([^"]+)".*/\1/' "$WORK/org.json")
TOKEN=$(sed -E 's/.*"access_token":"([^"]+)".*/\1/' "$WORK/loaded.json")
if [ -n "${CHANGED_PERCENT:-}" ]; then
  ORG=$(sed -E 's/.*"organization_id":"([^"]+)".*/\1/' "$WORK/org.json")
  echo "changed $($BIN bench change-sandbox --organization "$ORG" --percent "$CHANGED_PERCENT")"
fi
PORT=$((20000 + RANDOM % 20000))
$BIN serve --addr 127.0.0.1:$PORT --no-rate-limit > "$WORK/resync.out" 2> "$WORK/resync.err" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
H=(-H "x-trackstar-api-key: $KEY" -H "x-trackstar-access-token: $TOKEN" -H 'content-type: application/json')
START=$(date -u -d '60 days ago' +%Y-%m-%dT%H:%M:%SZ)
END=$(date -u -d 'tomorrow' +%Y-%m-%dT%H:%M:%SZ)
# CPU seconds the server has used so far (user + system), to report the job's CPU cost
# beside its wall time: wall time moves with whatever else runs on the machine.
cpu() { awk -v t="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$PID/stat"; }
C0=$(cpu)
T0=$(date +%s.%N)
JOB=$(curl -s "${H[@]}" -X POST "http://127.0.0.1:$PORT/connections/on-demand-syncs" \
  -d "{\"start_time\":\"$START\",\"end_time\":\"$END\",\"function_name\":\"get_orders\"}" | sed -E 's/.*"id":"([^"]+)".*/\1/')
while true; do
  S=$(curl -s "${H[@]}" "http://127.0.0.1:$PORT/connections/on-demand-syncs/$JOB" | sed -E 's/.*"status":"([^"]+)".*/\1/')
  [ "$S" = open ] || break
  sleep 0.5
done
T1=$(date +%s.%N)
C1=$(cpu)
N=$(cat "$WORK/orders")
echo "resync_status $S"
echo "resync_seconds $(echo "$T1 - $T0" | bc)"
echo "resync_records_per_second $(echo "$N / ($T1 - $T0)" | bc)"
echo "resync_cpu_seconds $(echo "$C1 - $C0" | bc)"
