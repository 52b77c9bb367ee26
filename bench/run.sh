#!/usr/bin/env bash
# Builds the hub and the load generator (Release), then runs the load generator.
# Every argument goes to concord-bench, e.g.: bench/run.sh --changes 50000 --concurrency 64 --batch 1
# The last line of output is the one-line summary (concord-bench changes=… concurrency=… …).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
dotnet build "$REPO/src/Concord.Cli/Concord.Cli.csproj" -c Release --nologo -v q -clp:NoSummary >&2
dotnet build "$REPO/bench/Concord.Bench/Concord.Bench.csproj" -c Release --nologo -v q -clp:NoSummary >&2
exec dotnet run -c Release --no-build --project "$REPO/bench/Concord.Bench" -- \
  --hub "$REPO/src/Concord.Cli/bin/Release/net10.0/concord.dll" "$@"
