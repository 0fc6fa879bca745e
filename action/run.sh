#!/usr/bin/env bash
# The GitHub Action's step. mlflint runs once: annotations on stdout (--format github), the same
# run's JSON (and SARIF when asked) written beside them; the `findings` output and the job
# summary are derived from that JSON (action/summary.mjs). Reads INPUT_* (see action.yml) and the
# GITHUB_* variables the runner sets.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mlflint=(node "${MLFLINT_BIN:-$GITHUB_ACTION_PATH/dist/bin/mlflint.js}")
read -r -a extra <<< "${INPUT_ARGS:-}"
fail() {
  echo "::error title=mlflint::$1"
  echo "mlflint: $1" >&2
  exit 2
}

targets=()
if [ "${INPUT_CHANGED_ONLY:-false}" = "true" ]; then
  base=""
  if [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
    base=$(node -e '
      const e = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const b = (e.pull_request && e.pull_request.base && e.pull_request.base.sha) || e.before || "";
      process.stdout.write(/^0+$/.test(b) ? "" : b);' "$GITHUB_EVENT_PATH")
  fi
  head=${GITHUB_SHA:-HEAD}
  if [ -z "$base" ]; then
    echo "mlflint: no base commit in the event (a new branch, or not a pull_request/push event); linting ${INPUT_PATHS:-.}" >&2
  else
    # actions/checkout fetches one commit by default: fetch the base (and the head) ourselves.
    for sha in "$base" "$head"; do
      if ! git cat-file -e "$sha^{commit}" 2>/dev/null; then
        git fetch --no-tags --quiet --depth=1 origin "$sha" >&2 ||
          fail "changed-only: commit $sha is not in the checkout and could not be fetched; check out with \`fetch-depth: 0\` (actions/checkout) or set changed-only: false"
      fi
    done
    # Two trees, no merge base needed: a pull request's merge commit against its base is the
    # pull request's change; a push's head against its \`before\` is the push's.
    if ! changed=$(git -c core.quotePath=false diff --name-only --no-renames --diff-filter=ACM "$base" "$head"); then
      fail "changed-only: git diff $base $head failed; check out with \`fetch-depth: 0\` (actions/checkout) or set changed-only: false"
    fi
    while IFS= read -r f; do
      case "$f" in
        *.py|*.pyi|*.ipynb|*.ts|*.tsx|*.mts|*.cts|*.js|*.jsx|*.mjs|*.cjs) [ -f "$f" ] && targets+=("$f") ;;
      esac
    done <<< "$changed"
    if [ ${#targets[@]} -eq 0 ]; then
      echo "mlflint: the changes touch no file mlflint lints"
      echo "findings=0" >> "${GITHUB_OUTPUT:-/dev/null}"
      exit 0
    fi
  fi
fi
if [ ${#targets[@]} -eq 0 ]; then
  read -r -a targets <<< "${INPUT_PATHS:-.}"
fi

result=$(mktemp "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/mlflint-XXXXXX.json")
also=(--also-write "json=$result")
[ -z "${INPUT_SARIF_FILE:-}" ] || also+=(--also-write "sarif=$INPUT_SARIF_FILE")
"${mlflint[@]}" check --output-format github "${also[@]}" "${extra[@]}" "${targets[@]}"
status=$?
if [ ! -s "$result" ]; then
  fail "mlflint did not report (exit $status); nothing was linted"
fi
node "$here/summary.mjs" "$result" || status=2
rm -f "$result"
exit "$status"
