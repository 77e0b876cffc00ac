#!/usr/bin/env bash
# One obvious way to run the project.
#   ./site.sh build     set up (Python venv + npm packages) and build the site into site/
#   ./site.sh serve     set up, then serve with live reload at http://127.0.0.1:8000
#   ./site.sh offline   set up, then build the classroom bundle dist/revolution-from-above-offline.zip
#   ./site.sh course FILE  set up, then pack one course (courses/FILE.yml): offline bundle + PDF reader in dist/
#   ./site.sh public    set up, then build the public-web edition (unlicensed texts: landing page + extract)
#   ./site.sh publish [--public]  set up, build, then dist/publish/: the folder a web server serves (README, Deploying)
#   ./site.sh test      set up, then run every test (browser tests need Debian's chromium), on 2 workers
#   ./site.sh test --quick   the same without the slow tests (pytest -m "not slow"), for the edit loop
set -euo pipefail
cd "$(dirname "$0")"

setup() {
  if [ -z "${VIRTUAL_ENV:-}" ]; then
    [ -x .venv/bin/python ] || python3 -m venv .venv
    # shellcheck disable=SC1091
    source .venv/bin/activate
  fi
  if [ ! -f .venv/.installed ] || [ requirements.txt -nt .venv/.installed ]; then
    python -m pip install --quiet --disable-pip-version-check -r requirements.txt
    mkdir -p .venv && touch .venv/.installed
  fi
  if [ -f package-lock.json ] && { [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; }; then
    npm ci --silent --no-audit --no-fund
    touch node_modules
  fi
  if [ -f scripts/tools/install_assets.py ]; then python -m scripts.tools.install_assets; fi
}

cmd="${1:-build}"
shift || true
case "$cmd" in
  build)   setup; exec python -m scripts.build --site "$@" ;;
  serve)   setup; exec python -m scripts.build --serve "$@" ;;
  public)  setup; exec python -m scripts.build --public --site "$@" ;;
  offline) setup; python -m scripts.site.offline_bundle "$@" ;;
  course)  setup; python -m scripts.site.course_pack "$@" ;;
  publish) setup; python -m scripts.site.publish_folder "$@" ;;
  test)    setup
           # the whole suite on 2 workers sharing one session build (tests/conftest.py); serve/signal
           # tests stay together on one worker (xdist_group). --quick: skip the slow tests (crawls of
           # every page, serve/signals, injection, the bad-input corpus) for the edit loop; CI runs all.
           # --durations=15 lists the slowest tests, where the suite-time goal (under 10 min) is won or lost.
           # --no-loadscope-reorder keeps tests/conftest.py's order: xdist otherwise hands out the groups
           # first (largest first), and both workers sat waiting for the session build with the tests that
           # need no build still queued behind them.
           quick=()
           if [ "${1:-}" = "--quick" ]; then quick=(-m "not slow"); shift; fi
           exec python -m pytest -q -n "${TEST_WORKERS:-2}" --dist loadgroup --no-loadscope-reorder --durations=15 "${quick[@]}" "$@" ;;
  *) echo "usage: ./site.sh [build|serve|offline|course FILE|public|publish [--public]|test [--quick]]" >&2; exit 2 ;;
esac
