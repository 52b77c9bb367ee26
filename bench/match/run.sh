#!/usr/bin/env bash
# Measures the matcher on public data with ground truth. One line per dataset:
#   concord-match dataset=NAME records=N pairs_true=N precision=X recall=X f1=X seconds=X bcubed_f1=X
# Named runs scale_100k and scale_1m (synthetic customers, speed) print only when asked for.
# usage: bench/match/run.sh [DATASETS_DIR] [NAME ...]   (default DATASETS_DIR: ../shared/datasets)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${1:-$REPO/../shared/datasets}
[ $# -gt 0 ] && shift
dotnet build "$REPO/bench/Concord.Bench.Match/Concord.Bench.Match.csproj" -c Release --nologo -v q -clp:NoSummary >&2
exec dotnet run -c Release --no-build --project "$REPO/bench/Concord.Bench.Match" -- "$DIR" "$@"
