#!/usr/bin/env bash
# Concord doing the peers' job (see the peers' README in ${PEERS_SRC:-$REPO/../shared/peers}): the same
# raw JSON payload posted by the same wrk script to a Concord `webhook` system (shared-secret mode,
# the secret in WRK_HEADER), normalised by its `mapping:` and delivered by an `http` system with
# `format: fields` to the same counting sink (common/sink.js). Cold-starts the hub with a fresh data
# folder, warms up, runs a bounded wrk load against 127.0.0.1 only, prints one summary line
# (peer=concord …, the same fields as the peers' scripts), stops everything it started.
#
# Concord answers 202 after the change is durably committed (SQLite WAL, synchronous=FULL) and before
# the delivery, which runs from the outbox (like n8n onReceived / Node-RED async).
#
# -m flow runs the same job as a Concord flow instead (concord-flow.yaml): a signed webhook to
# /hooks/flows/signup-to-sink starts a run whose `http` step posts to the sink; the run is stored
# step by step, like n8n's saved executions.
#
# usage: run.sh [-d SECONDS=30] [-c CONCURRENCY=16] [-w WARMUP_S=5] [-m sync|flow]
# env: CONCORD_PORT=15080 SINK_PORT=19999 DRAIN_MAX=120 WRK_MAX_PER_THREAD=500000 PEERS_SRC PEERS_HOME
#      CONCORD_HUB=path/to/concord.dll (default: build src/Concord.Cli in Release and use it)
# output: summary line on stdout (also appended to $PEERS_HOME/results/summary.txt); details in the run dir.
set -u
DUR=30; CONC=16; WARM=5; MODE=sync
while getopts "d:c:w:m:" o; do case $o in
  d) DUR=$OPTARG;; c) CONC=$OPTARG;; w) WARM=$OPTARG;; m) MODE=$OPTARG;;
  *) sed -n 2,16p "$0"; exit 2;; esac; done
[ "$DUR" -ge 1 ] && [ "$DUR" -le 600 ] || { echo "duration must be 1..600 s" >&2; exit 2; }
[ "$CONC" -ge 1 ] && [ "$CONC" -le 1024 ] || { echo "concurrency must be 1..1024" >&2; exit 2; }
[ "$WARM" -ge 0 ] && [ "$WARM" -le 120 ] || { echo "warm-up must be 0..120 s" >&2; exit 2; }
case $MODE in sync|flow) ;; *) echo "mode must be sync or flow" >&2; exit 2;; esac

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
export PEERS_SRC=${PEERS_SRC:-$REPO/../shared/peers}
[ -f "$PEERS_SRC/common/bench-lib.sh" ] || { echo "peers not found at $PEERS_SRC (set PEERS_SRC)" >&2; exit 1; }
source "$PEERS_SRC/common/bench-lib.sh"
command -v wrk >/dev/null || { log "wrk not found: run $PEERS_SRC/setup.sh"; exit 1; }

CONCORD_PORT=${CONCORD_PORT:-15080}
SINK_PORT=${SINK_PORT:-19999}; DRAIN_MAX=${DRAIN_MAX:-120}
DATA=$PEERS/concord/data
RUN_DIR=$PEERS/results/concord-$MODE-$(date +%Y%m%d-%H%M%S)-c$CONC
trap 'cleanup_started' EXIT
trap 'log interrupted; exit 130' INT TERM

for p in $CONCORD_PORT $SINK_PORT; do port_free $p || { log "port $p in use"; exit 1; }; done
mkdir -p "$RUN_DIR"

# the hub: built before the clock starts (not part of the cold start)
HUB=${CONCORD_HUB:-$REPO/src/Concord.Cli/bin/Release/net10.0/concord.dll}
if [ -z "${CONCORD_HUB:-}" ]; then
  dotnet build "$REPO/src/Concord.Cli/Concord.Cli.csproj" -c Release --nologo -v q -clp:NoSummary > "$RUN_DIR/build.log" 2>&1 \
    || { log "build failed"; tail -20 "$RUN_DIR/build.log" >&2; exit 1; }
fi
[ -f "$HUB" ] || { log "hub not found: $HUB"; exit 1; }

# cold start: throwaway data folder with the config; a fresh SQLite file
rm -rf "$DATA"; mkdir -p "$DATA"
CONFIG=$HERE/concord.yaml; [ $MODE = flow ] && CONFIG=$HERE/concord-flow.yaml
sed -e "s/__SINK_PORT__/$SINK_PORT/" "$CONFIG" > "$DATA/concord.yaml"
cp "$DATA/concord.yaml" "$RUN_DIR/concord.yaml"
export PEER_FLOW_SECRET=peer-flow-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
export WRK_HEADER="X-Concord-Token: $PEER_FLOW_SECRET"
if [ $MODE = flow ]; then
  # The payload never changes, so one signature serves every request (wrk sends it without the
  # trailing newline, as $(cat) reads it).
  SIG=$(printf "%s" "$(cat "$COMMON/payload.json")" | openssl dgst -sha256 -hmac "$PEER_FLOW_SECRET" -hex | awk '{print $NF}')
  export WRK_HEADER="X-Concord-Signature: sha256=$SIG"
fi
start_sink $SINK_PORT || exit 1
t1=$(date +%s.%N)
dotnet "$HUB" run --config "$DATA/concord.yaml" --listen "http://127.0.0.1:$CONCORD_PORT" > "$RUN_DIR/concord.log" 2>&1 &
PEER_PID=$!; STARTED_PIDS=($PEER_PID "${STARTED_PIDS[@]}")
URL=http://127.0.0.1:$CONCORD_PORT/hooks/ingest; [ $MODE = flow ] && URL=http://127.0.0.1:$CONCORD_PORT/hooks/flows/signup-to-sink
ok=0
for i in $(seq 1 600); do   # <= 60 s
  kill -0 $PEER_PID 2>/dev/null || break
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -XPOST -H 'content-type: application/json' -H "$WRK_HEADER" --data @$COMMON/payload.json $URL)
  case $code in 200|202) ok=1; break;; esac
  sleep 0.1
done
[ $ok = 1 ] || { log "Concord did not accept the webhook"; tail -20 "$RUN_DIR/concord.log" >&2; exit 1; }
t2=$(date +%s.%N); START_S=$(printf %.1f $(echo "$t2 - $t1" | bc))
sleep 2
IDLE_RSS_MB=$(( $(tree_rss_kb $PEER_PID) / 1024 ))
log "Concord up (start ${START_S}s, idle rss ${IDLE_RSS_MB}MB); warm-up ${WARM}s"

[ "$WARM" -gt 0 ] && run_wrk $URL 4 $WARM "$RUN_DIR/warmup.txt"
drain_sink 60 >/dev/null; WARM_DELIVERED=$(sink_field count); sink_reset

rss_sampler_start $PEER_PID $(( DUR + DRAIN_MAX + 40 ))
c0=$(tree_ticks $PEER_PID); s0=$(tree_ticks $SINK_PID); b0=$(sys_busy_ticks); w0=$(tree_wbytes $PEER_PID); ts0=$(date +%s.%N)
run_wrk $URL $CONC $DUR "$RUN_DIR/wrk.txt"
ts1=$(date +%s.%N); c1=$(tree_ticks $PEER_PID); s1=$(tree_ticks $SINK_PID); b1=$(sys_busy_ticks)
IN_WINDOW=$(sink_field count)
DRAIN_S=$(drain_sink $DRAIN_MAX)
c2=$(tree_ticks $PEER_PID); w2=$(tree_wbytes $PEER_PID)
rss_sampler_stop
END_RSS_MB=$(( $(tree_rss_kb $PEER_PID) / 1024 ))
sink_get > "$RUN_DIR/sink.json"
stop_pid $PEER_PID 20
( cd "$DATA" && find . -type f -printf '%p %s\n' | sort ) > "$RUN_DIR/userdir-files.txt"
NFILES=$(wc -l < "$RUN_DIR/userdir-files.txt")

WALL=$(echo "$ts1 - $ts0" | bc)
REQ=$(wrk_field "$RUN_DIR/wrk.txt" requests); DURUS=$(wrk_field "$RUN_DIR/wrk.txt" duration_us)
RPS=$(echo "scale=1; $REQ * 1000000 / $DURUS" | bc)
P50=$(echo "scale=1; $(wrk_field "$RUN_DIR/wrk.txt" p50_us) / 1000" | bc)
P99=$(echo "scale=1; $(wrk_field "$RUN_DIR/wrk.txt" p99_us) / 1000" | bc)
NON2XX=$(wrk_non2xx "$RUN_DIR/wrk.txt")
ERRS=$(grep -o "WRKSUM.*" "$RUN_DIR/wrk.txt" | grep -o "err_[a-z]*=[0-9]*" | awk -F= '{s+=$2}END{print s+0}')
DELIV=$(node -e 'const j=require(process.argv[1]);console.log(j.count)' "$RUN_DIR/sink.json")
VALID=$(node -e 'const j=require(process.argv[1]);console.log(j.valid)' "$RUN_DIR/sink.json")
SCONNS=$(node -e 'const j=require(process.argv[1]);console.log(j.conns)' "$RUN_DIR/sink.json")
E2E=$(node -e 'const j=require(process.argv[1]);const s=(j.last_ms-j.first_ms)/1000;console.log(s>0?(j.count/s).toFixed(1):0)' "$RUN_DIR/sink.json")
PEAK_RSS_MB=$(( $(cat "$RUN_DIR/rss_peak" 2>/dev/null || echo 0) / 1024 ))
CPU_PCT=$(echo "scale=0; ($c1 - $c0) * 100 / $HZ / $WALL" | bc)
CPU_MS_MSG=$( [ "$DELIV" -gt 0 ] && echo "scale=2; ($c2 - $c0) * 1000 / $HZ / $DELIV" | bc || echo NA)
WRK_CPU=$(awk '{printf "%d", ($1+$2)*100}' "$RUN_DIR/wrk.txt.cpu")
OTHERS=$(others_pct $(( b1 - b0 )) $(( c1 - c0 + s1 - s0 + WRK_CPU )) $WALL)
WRITE_KB_MSG=$( [ "$DELIV" -gt 0 ] && echo "scale=2; ($w2 - $w0) / 1024 / $DELIV" | bc || echo NA)

LINE="peer=concord rps=$RPS p99_ms=$P99 delivered=$DELIV rss_mb=$PEAK_RSS_MB p50_ms=$P50 c=$CONC dur_s=$DUR flow=ack_after_commit mode=$MODE requests=$REQ non2xx=$NON2XX sock_errs=$ERRS delivered_in_window=$IN_WINDOW valid=$VALID drain_s=$DRAIN_S e2e_rps=$E2E cpu_pct=$CPU_PCT cpu_ms_per_msg=$CPU_MS_MSG write_kb_per_msg=$WRITE_KB_MSG idle_rss_mb=$IDLE_RSS_MB end_rss_mb=$END_RSS_MB userdir_files=$NFILES sink_conns=$SCONNS start_s=$START_S warmup_delivered=$WARM_DELIVERED others_cpu_pct=$OTHERS"
mkdir -p $PEERS/results; echo "$LINE" | tee -a $PEERS/results/summary.txt > "$RUN_DIR/summary.txt"
echo "$LINE"
