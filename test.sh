#!/usr/bin/env bash
# Runs every test of Concord and prints one closing line: "Tests: N passed, N failed, N skipped".
# Needs the .NET SDK pinned in global.json, Chromium at /usr/bin/chromium (the dashboard tests drive it
# through Playwright's bundled driver, no browser download) and Node.js with npm: the contract tests run Stoplight
# Prism (installed here, pinned in tests/prism/package-lock.json) with the vendors' own OpenAPI
# specifications, and the dashboard's accessibility tests inject axe-core (pinned in
# tests/Concord.Dashboard.Tests/package-lock.json) into each page. The tests start what they use themselves
# (SQLite files, Kestrel servers, sandboxes and Prism on 127.0.0.1).
set -uo pipefail
cd "$(dirname "$0")"

# Node packages the tests use, each pinned by its package-lock.json: Prism (contract tests) and axe-core (the dashboard's
# accessibility tests). Installed again only when the lock file is newer than what is installed.
for dir in tests/prism tests/Concord.Dashboard.Tests; do
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "npm is required for the contract and accessibility tests (install Node.js 18 or later)" >&2
      exit 1
    fi
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error || { echo "could not install the Node packages of $dir" >&2; exit 1; }
  fi
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test concord.slnx --configuration Release --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test prints one summary per test project: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12"
read -r passed failed skipped < <(awk '
  /(Passed|Failed)! +- +Failed:/ {
    for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
  }
  END { printf "%d %d %d\n", p, f, s }' "$log")
echo
echo "Tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
