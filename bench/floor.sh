#!/usr/bin/env bash
# The databases' own cost of storing a loaded database's orders, with no Waybill code in the
# loop: the orders of a database loaded by bench/read.sh are inserted again, BATCH rows per
# commit, into a `records` table with the same indexes, by the database's own tool. Compare
# with `ingest_seconds` to see how much of an ingest is the database itself.
#
#   WORK=/path/loaded/by/read.sh bench/floor.sh sqlite 10000    # needs the sqlite3 CLI
#   WORK=/path/loaded/by/read.sh bench/floor.sh postgres 10000  # empties and refills the orders
set -euo pipefail
BACKEND=${1:-sqlite}
BATCH=${2:-10000}
: "${WORK:?set WORK to a directory loaded by bench/read.sh}"
COLS="connection_id, resource, id, doc, hash, trackstar_created_date, trackstar_updated_date, created_date, updated_date, warehouse_customer_id, status, t0, t1, t2, t3, t4, d0, d1"
if [ "$BACKEND" = postgres ]; then
  ADMIN=${WAYBILL_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
  U="${ADMIN%/*}/$(cat "$WORK/pgdb")"
  export PGOPTIONS="-c client_min_messages=warning"
  psql "$U" -q -c "DROP TABLE IF EXISTS floor_src" \
    -c "CREATE TABLE floor_src AS SELECT * FROM records WHERE resource = 'wms.orders'" \
    -c "DELETE FROM records WHERE resource = 'wms.orders'" \
    -c "VACUUM ANALYZE records" -c "VACUUM ANALYZE floor_src" -c "CHECKPOINT"
  S=$(date +%s.%N)
  psql "$U" -q -c "DO \$\$ DECLARE lo bigint; hi bigint; BEGIN
    SELECT min(seq), max(seq) INTO lo, hi FROM floor_src;
    WHILE lo <= hi LOOP
      INSERT INTO records ($COLS) SELECT $COLS FROM floor_src WHERE seq >= lo AND seq < lo + $BATCH ORDER BY seq;
      COMMIT; lo := lo + $BATCH;
    END LOOP; END \$\$;"
  E=$(date +%s.%N)
  psql "$U" -q -c "DROP TABLE floor_src"
else
  command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: apt-get install sqlite3"; exit 1; }
  SRC=$WORK/waybill.db
  D=$(mktemp -d /tmp/waybill-floor.XXXXXX)
  trap 'rm -rf "$D"' EXIT
  sqlite3 "$D/f.db" "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL;" >/dev/null
  sqlite3 "$SRC" ".schema records" | sqlite3 "$D/f.db"
  read -r LO HI < <(sqlite3 -separator ' ' "$SRC" "SELECT min(seq), max(seq) FROM records WHERE resource = 'wms.orders'")
  {
    echo "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -131072; PRAGMA wal_autocheckpoint = 16384; ATTACH '$SRC' AS src;"
    for ((s = LO; s <= HI; s += BATCH)); do
      echo "BEGIN; INSERT INTO records ($COLS) SELECT $COLS FROM src.records WHERE seq >= $s AND seq < $((s + BATCH)) AND resource = 'wms.orders'; COMMIT;"
    done
  } > "$D/load.sql"
  cat "$SRC" > /dev/null # the source rows come from memory, as a connector's pages would
  S=$(date +%s.%N)
  sqlite3 "$D/f.db" < "$D/load.sql" > /dev/null
  E=$(date +%s.%N)
fi
N=$(cat "$WORK/orders")
echo "floor_seconds $(echo "$E - $S" | bc)"
echo "floor_records_per_second $(echo "$N / ($E - $S)" | bc)"
