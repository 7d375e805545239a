#!/usr/bin/env bash
# Mutation testing of the eight safety-critical modules with mutmut (settings: [tool.mutmut] in pyproject.toml).
# Not part of `pytest`: on two cores it takes tens of minutes. Needs: pip install -e ".[test,mutation]"
#
#   tests/mutation/run.sh                 all eight modules, one after another
#   tests/mutation/run.sh composition/safety files   only these (paths under handouts/ without .py:
#       composition/safety files library/file_names library/plan composition/visit composition/templates
#       composition/literal markup)
#
# JOBS=N worker processes (default 2), NICE=N niceness (default 15). Work files go to mutants/ (ignored by git;
# delete it to start afresh). At the end a table per module: mutants, caught, equivalent (listed with their reason
# in tests/mutation/equivalent.txt) and the score, caught / (mutants - equivalent). Then the survivors by name:
# `mutmut show NAME` prints one as a diff.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "$#" -eq 0 ]; then
  # One run for all eight: the clean test run (every selected test, once) is shared.
  nice -n "${NICE:-15}" mutmut run --max-children "${JOBS:-2}"
  python tests/mutation/score.py
else
  for module in "$@"; do
    echo "== handouts/${module}.py"
    nice -n "${NICE:-15}" mutmut run --max-children "${JOBS:-2}" "handouts.${module//\//.}.*"
  done
  python tests/mutation/score.py "$@"
fi
