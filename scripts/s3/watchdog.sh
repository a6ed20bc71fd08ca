#!/usr/bin/env bash
# Stops a test cluster if the process that started it dies without stopping it (a killed test
# run). Usage: watchdog.sh <owner-pid> <cluster-dir> <pid>... (pids in stop order: rgw, osd, mon)
owner=$1 dir=$2
shift 2
while kill -0 "$owner" 2>/dev/null; do sleep 1; done
for pid in "$@"; do
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
done
case "$dir" in */stint-rgw-*) rm -rf -- "$dir" ;; esac
