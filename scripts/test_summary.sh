#!/usr/bin/env bash
# The last lines of `make test`: how many tests ran and how long the set-up, the checks and the suite took.
#   scripts/test_summary.sh RUN_DIR   (RUN_DIR holds the epoch seconds `started`, `set-up`, `checked`
#                                      and pytest's output `pytest.log`, written by the Makefile)
set -euo pipefail
RUN=${1:?usage: $0 RUN_DIR}
now=$(date +%s)
started=$(cat "$RUN/started") set_up=$(cat "$RUN/set-up") checked=$(cat "$RUN/checked")
# pytest's closing line, e.g. "==== 740 passed, 4 skipped, 2 deselected in 231.02s (0:03:51) ===="
closing=$(sed 's/\x1b\[[0-9;]*m//g' "$RUN/pytest.log" | grep -E ' in [0-9.]+s' | tail -n 1 || true)
counts=$(grep -oE '[0-9]+ (passed|failed|errors?|skipped|xfailed|xpassed)' <<<"$closing" || true)
tests=$(awk '{n += $1} END {print n + 0}' <<<"$counts")
echo "make test: $tests tests ($(paste -sd, <<<"${counts:-none}" | sed 's/,/, /g')); set-up $((set_up - started)) s," \
  "checks $((checked - set_up)) s, suite $((now - checked)) s, $((now - started)) s in all"
