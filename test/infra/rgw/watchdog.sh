#!/usr/bin/env bash
# Stops a test cluster if the process that started it dies without stopping it (a killed test
# run). Usage: watchdog.sh <owner-pid> <cluster-dir> <pid>... (pids in stop order: rgw, osd, mon)
owner=$1 dir=$2
shift 2
# A zombie counts as gone: orphans are re-parented to an init that may never reap them.
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat:0:1}" != Z ]
}
while alive "$owner"; do sleep 1; done
for pid in "$@"; do
  grep -qF "$dir" "/proc/$pid/cmdline" 2>/dev/null || continue # gone, or the PID was reused
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
  alive "$pid" && kill -KILL "$pid" 2>/dev/null
done
case "$dir" in */stint-rgw-*) rm -rf -- "$dir" ;; esac
