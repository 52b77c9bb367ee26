#!/usr/bin/env bash
# Times one data-health measurement (GET /api/v1/health's `data`, `concord health`) over a fresh store of
# synthetic records: half customers (linked in two systems, some missing an email, a few in conflict),
# half invoices naming them (some empty or dangling). One line per size:
#   concord-health records=N db_mb=N plant_s=X measure_cold_s=X measure_warm_s=X score=X machine: ...
# usage: bench/health/run.sh [N ...]   (default: 100000 1000000)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build "$REPO/bench/Concord.Bench.Health/Concord.Bench.Health.csproj" -c Release --nologo -v q -clp:NoSummary >&2
exec dotnet run -c Release --no-build --project "$REPO/bench/Concord.Bench.Health" -- "$@"
