#!/usr/bin/env bash
# The GitHub Action's step: annotations with --format github, optionally SARIF, a job summary.
# Reads INPUT_* (see action.yml) and the GITHUB_* variables the runner sets.
set -uo pipefail

mlflint=(node "${MLFLINT_BIN:-$GITHUB_ACTION_PATH/dist/bin/mlflint.js}")
read -r -a extra <<< "${INPUT_ARGS:-}"

targets=()
if [ "${INPUT_CHANGED_ONLY:-false}" = "true" ]; then
  base=""
  if [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
    base=$(node -e '
      const e = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const b = (e.pull_request && e.pull_request.base && e.pull_request.base.sha) || e.before || "";
      process.stdout.write(/^0+$/.test(b) ? "" : b);' "$GITHUB_EVENT_PATH")
  fi
  if [ -z "$base" ]; then
    echo "mlflint: no base commit in the event; linting ${INPUT_PATHS:-.}" >&2
  else
    while IFS= read -r f; do
      case "$f" in
        *.py|*.pyi|*.ipynb|*.ts|*.tsx|*.mts|*.cts|*.js|*.mjs|*.cjs) [ -f "$f" ] && targets+=("$f") ;;
      esac
    done < <(git diff --name-only --diff-filter=ACMR "$base" "${GITHUB_SHA:-HEAD}")
    if [ ${#targets[@]} -eq 0 ]; then
      echo "mlflint: no changed files to lint"
      echo "findings=0" >> "${GITHUB_OUTPUT:-/dev/null}"
      exit 0
    fi
  fi
fi
if [ ${#targets[@]} -eq 0 ]; then
  read -r -a targets <<< "${INPUT_PATHS:-.}"
fi

"${mlflint[@]}" check --format github "${extra[@]}" "${targets[@]}"
status=$?

if [ -n "${INPUT_SARIF_FILE:-}" ]; then
  "${mlflint[@]}" check --format sarif --exit-zero -o "$INPUT_SARIF_FILE" "${extra[@]}" "${targets[@]}" || status=2
fi

findings=$("${mlflint[@]}" check --format json-lines --exit-zero "${extra[@]}" "${targets[@]}" 2>/dev/null | wc -l | tr -d ' ')
echo "findings=$findings" >> "${GITHUB_OUTPUT:-/dev/null}"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    echo "### mlflint"
    echo
    echo '```'
    "${mlflint[@]}" check --statistics --exit-zero "${extra[@]}" "${targets[@]}" 2>/dev/null
    echo '```'
  } >> "$GITHUB_STEP_SUMMARY"
fi
exit "$status"
