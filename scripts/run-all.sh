#!/usr/bin/env bash
# Starts the five services on embedded SQLite under ./data, each log line prefixed with its service's name.
# Ctrl-C (or SIGTERM) stops them all gracefully and waits for them: no orphans.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${CARGO_TARGET_DIR:-target}/debug"
services=(reception workshop parts escalation supplier)
ports=(50051 50052 50053 50054 50055)
pids=()

stop() {
  trap - INT TERM
  echo "stopping: ${services[*]}"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "all stopped"
  exit 0
}
trap stop INT TERM

mkdir -p data
for i in "${!services[@]}"; do
  name=${services[$i]}
  # Process substitution keeps $! the service's own pid (not the prefixing sed's).
  "$target/$name" > >(sed -u "s/^/[$name] /") 2>&1 &
  pids+=($!)
done

cat <<BANNER

  aftersales is starting on embedded SQLite (./data):
$(for i in "${!services[@]}"; do printf '    %-11s 127.0.0.1:%s\n' "${services[$i]}" "${ports[$i]}"; done)

  Health:     $target/aftersales health
  A token:    $target/aftersales token --role oem_manager
  Try it:     dealer=\$($target/aftersales dealer-id)
              $target/aftersales orders create --dealer \$dealer --vin 1M8GDM9AXKP042788 --mileage 42000 \\
                  --fault "will not start" --labour ENG-0420:1.5:80.00
  Feeds:      $target/aftersales events follow reception
  Ctrl-C stops everything.

BANNER

# If any service dies, stop the rest rather than run half a suite. (A signal also ends `wait` with a status
# above 128; then the trap does the stopping.)
status=0
wait -n "${pids[@]}" || status=$?
if [ "$status" -le 128 ]; then
  echo "a service exited (status $status); stopping the others"
fi
stop
