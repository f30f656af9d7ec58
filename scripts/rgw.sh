#!/usr/bin/env bash
# A throwaway single-node Ceph RGW on loopback for the S3 tests: one monitor, one in-memory OSD, one
# radosgw, no manager, no auth between daemons. Settings and their reasons: /work/shared/s3-test-server.md.
#
#   scripts/rgw.sh start   start (or reuse) the cluster, create the test user, write DIR/env
#   scripts/rgw.sh env     print the RETAKE_TEST_S3_* exports of a running cluster
#   scripts/rgw.sh stop    stop every daemon by its pid file and delete DIR
#
# DIR is $RETAKE_RGW_DIR (default /tmp/retake-rgw: short, for the Unix socket path limit). Ports:
# $RETAKE_RGW_PORT (S3, default 7480) and $RETAKE_RGW_MON_PORT (monitor, default 3300).
set -euo pipefail

DIR=${RETAKE_RGW_DIR:-/tmp/retake-rgw}
PORT=${RETAKE_RGW_PORT:-7480}
MON_PORT=${RETAKE_RGW_MON_PORT:-3300}
MEMSTORE_BYTES=${RETAKE_RGW_MEMSTORE_BYTES:-3221225472}
ACCESS_KEY=retake-test-access
SECRET_KEY=retake-test-secret-0123456789
CONF="$DIR/ceph.conf"
ENDPOINT="http://127.0.0.1:$PORT"

log() { echo "rgw.sh: $*" >&2; }
die() { log "$*"; exit 1; }
ceph_() { ceph -c "$CONF" --connect-timeout 5 "$@"; }

# Waits up to $1 tenths of a second for the command after it to succeed.
wait_for() {
  local tenths=$1; shift
  for _ in $(seq 1 "$tenths"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}

write_conf() {
  cat >"$CONF" <<EOF
[global]
fsid = $(cat "$DIR/fsid")
mon_host = v2:127.0.0.1:$MON_PORT
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_ipv6 = false
ms_bind_msgr1 = false
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
run_dir = $DIR/run
admin_socket = $DIR/run/\$name.asok
log_file = $DIR/log/\$name.log
pid_file = $DIR/run/\$name.pid
mon_data = $DIR/mon/\$cluster-\$id
osd_data = $DIR/osd/\$cluster-\$id
osd_pool_default_size = 1
osd_pool_default_min_size = 1
mon_allow_pool_size_one = true
osd_crush_chooseleaf_type = 0
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
mon_max_pg_per_osd = 1000
# Start-up ~12.7 s -> ~1.8 s, first CreateBucket/PUT ~2 s -> ~0.15 s.
paxos_propose_interval = 0.05
paxos_min_wait = 0.01

[osd]
osd_objectstore = memstore
memstore_device_bytes = $MEMSTORE_BYTES
osd_op_num_shards = 1
osd_op_num_threads_per_shard = 2

[client]
# Without it radosgw (and radosgw-admin) demand a secure monitor connection and retry forever (-13).
ms_mon_client_mode = crc

[client.rgw.a]
# Without tcp_nodelay small GETs take ~40 ms each.
rgw_frontends = beast endpoint=127.0.0.1:$PORT tcp_nodelay=1
rgw_dns_name = 127.0.0.1
EOF
}

print_env() {
  cat <<EOF
export RETAKE_TEST_S3_ENDPOINT=$ENDPOINT
export RETAKE_TEST_S3_REGION=us-east-1
export RETAKE_TEST_S3_ACCESS_KEY_ID=$ACCESS_KEY
export RETAKE_TEST_S3_SECRET_ACCESS_KEY=$SECRET_KEY
EOF
}

is_running() { [ -f "$DIR/env" ] && curl -fsS -o /dev/null "$ENDPOINT/"; }

start() {
  if is_running; then log "already running at $ENDPOINT"; cat "$DIR/env"; return; fi
  for tool in ceph ceph-mon ceph-osd radosgw radosgw-admin monmaptool curl uuidgen; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install radosgw ceph-mon ceph-osd curl uuid-runtime)"
  done
  stop_daemons
  rm -rf "$DIR"
  mkdir -p "$DIR"/{run,log,mon,osd/ceph-0}
  uuidgen >"$DIR/fsid"
  write_conf
  local began=$SECONDS

  monmaptool -c "$CONF" --create --fsid "$(cat "$DIR/fsid")" --addv a "[v2:127.0.0.1:$MON_PORT]" "$DIR/monmap" >/dev/null
  ceph-mon -c "$CONF" -i a --mkfs --monmap "$DIR/monmap" || die "ceph-mon --mkfs failed"
  ceph-mon -c "$CONF" -i a 2>>"$DIR/log/daemons.err" || die "ceph-mon did not start (see $DIR/log/mon.a.log; it refuses a disk over 95% full)"
  wait_for 300 ceph_ mon stat || die "the monitor does not answer (see $DIR/log/mon.a.log)"

  local osd_uuid; osd_uuid=$(uuidgen)
  ceph_ osd new "$osd_uuid" 0 >/dev/null
  ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" 2>"$DIR/log/osd-mkfs.err" || die "ceph-osd --mkfs failed: $(cat "$DIR/log/osd-mkfs.err")"
  ceph-osd -c "$CONF" -i 0 2>>"$DIR/log/daemons.err" || die "ceph-osd did not start (see $DIR/log/osd.0.log)"
  wait_for 300 osd_up || die "the OSD is not up (see $DIR/log/osd.0.log)"

  radosgw -c "$CONF" -n client.rgw.a 2>>"$DIR/log/daemons.err" || die "radosgw did not start (see $DIR/log/client.rgw.a.log)"
  wait_for 600 curl -fsS -o /dev/null "$ENDPOINT/" || die "radosgw does not answer on $ENDPOINT (see $DIR/log/client.rgw.a.log)"
  radosgw-admin -c "$CONF" user create --uid=retake-test --display-name="Retake tests" \
    --access-key="$ACCESS_KEY" --secret="$SECRET_KEY" >/dev/null || die "radosgw-admin user create failed"

  print_env >"$DIR/env"
  log "up at $ENDPOINT in $((SECONDS - began)) s"
  cat "$DIR/env"
}

osd_up() { ceph_ osd stat | grep -q ' 1 up'; }

stop_daemons() {
  [ -d "$DIR/run" ] || return 0
  local pids=()
  for file in "$DIR"/run/*.pid; do
    [ -f "$file" ] || continue
    local pid; pid=$(cat "$file")
    kill "$pid" 2>/dev/null && pids+=("$pid")
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  # Each daemon takes ~2 s to shut down cleanly; the cluster is thrown away, so 3 s, then SIGKILL.
  wait_for 30 none_alive "${pids[@]}" || kill -9 "${pids[@]}" 2>/dev/null || true
}

none_alive() {
  for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 1; done
  return 0
}

case "${1:-}" in
  start) start ;;
  env) is_running || die "no RGW answers at $ENDPOINT (run scripts/rgw.sh start)"; cat "$DIR/env" ;;
  stop) stop_daemons; rm -rf "$DIR" ;;
  *) die "usage: scripts/rgw.sh start|env|stop" ;;
esac
