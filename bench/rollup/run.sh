#!/usr/bin/env bash
# Measures counting the transaction log into the hourly traffic history. One line:
#   concord-rollup lines=N hours=H fill_s=X first_rollup_s=X first_lines=N hourly_lines=N hourly_rollup_ms=X read_5w_cold_ms=X read_5w_ms=X history_rows=N db_mb=N
# usage: bench/rollup/run.sh [LINES=1000000] [HOURS=1000]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build "$REPO/bench/Concord.Bench.Rollup/Concord.Bench.Rollup.csproj" -c Release --nologo -v q -clp:NoSummary >&2
exec dotnet run -c Release --no-build --project "$REPO/bench/Concord.Bench.Rollup" -- "$@"
