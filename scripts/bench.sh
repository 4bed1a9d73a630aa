#!/usr/bin/env bash
# `make bench`: the load generator against PostgreSQL and SQLite, with release binaries, then the criterion
# benchmarks (the workshop's assignment decision). Never run in CI.
#
#   scripts/bench.sh [--seconds 10] [--concurrency 16] [--approvers 4] [--skip-postgres] [--only orders,front-desk,stock]
#
# Arguments are passed to the load generator as they are. The report's MISS markers are findings, not errors:
# this script fails only when something crashes (build, PostgreSQL start, the load generator itself).
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO="${CARGO:-cargo}"
export AFTERSALES_TEST_DATABASE_URL="${AFTERSALES_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

skip_postgres=false
for arg in "$@"; do
  [[ "$arg" == "--skip-postgres" ]] && skip_postgres=true
done

echo "bench: building release binaries" >&2
"$CARGO" build --release --bins

if ! $skip_postgres; then
  if ! pg_isready -q -h 127.0.0.1; then
    echo "bench: PostgreSQL is down; starting it" >&2
    for version in $(ls /etc/postgresql); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main start
    done
    for _ in $(seq 1 50); do
      pg_isready -q -h 127.0.0.1 && break
      sleep 0.2
    done
    pg_isready -h 127.0.0.1 >&2
  fi
fi

target="${CARGO_TARGET_DIR:-target}/release"
"$target/loadgen" "$@"

echo "bench: the assignment decision (criterion, 200 technicians, 2,000 open jobs)" >&2
"$CARGO" bench -p aftersales-workshop --bench assignment
