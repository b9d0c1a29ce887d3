#!/usr/bin/env bash
# Lighthouse, mobile (its default: a Moto G class phone on slow 4G), on one page of the site
# served with gzip on 127.0.0.1. Prints accessibility, best practices, SEO and performance for
# each run. Targets: 100, 100, 100, >= 95. Not a test: scores vary a little from run to run.
#
# Usage: npm ci && scripts/lighthouse.sh [PAGE]      (PAGE default treatments/microdermabrasion/)
# Env:   RUNS (default 5), SITE (a built site; default: build one now), CHROME_PATH, PYTHON
set -euo pipefail
cd "$(dirname "$0")/.."

page="${1:-treatments/microdermabrasion/}"
runs="${RUNS:-5}"
python="${PYTHON:-.venv/bin/python}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
lighthouse=node_modules/.bin/lighthouse
[ -x "$lighthouse" ] || { echo "lighthouse is not installed: run 'npm ci' first" >&2; exit 2; }
[ -x "$CHROME_PATH" ] || { echo "no Chromium at $CHROME_PATH: apt-get install chromium" >&2; exit 2; }

work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

site="${SITE:-}"
if [ -z "$site" ]; then
  site="$work/site"
  NO_MKDOCS_2_WARNING=1 "$python" -m mkdocs build --strict -q -d "$site"
fi

port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$python" scripts/serve_gzip.py "$site" --port "$port" >/dev/null &
server=$!
url="http://127.0.0.1:$port/$page"
for _ in $(seq 50); do
  "$python" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1])" "$url" 2>/dev/null && break
  sleep 0.1
done

flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run"
flags="$flags --disable-background-networking --disable-component-update --disable-sync"
echo "Lighthouse $("$lighthouse" --version), mobile, $url"
printf '%-4s %14s %15s %5s %12s\n' run accessibility best-practices seo performance
for run in $(seq "$runs"); do
  report="$work/run$run.json"
  "$lighthouse" "$url" --quiet --chrome-flags="$flags" --output=json --output-path="$report" \
    --only-categories=accessibility,best-practices,seo,performance
  node -e '
    const r = require(process.argv[1]), c = r.categories, s = (k) => Math.round(c[k].score * 100);
    const weighted = new Set(Object.values(c).flatMap((cat) =>
      cat.auditRefs.filter((ref) => ref.weight > 0).map((ref) => ref.id)));
    const failed = [...weighted].map((id) => r.audits[id])
      .filter((a) => a.score !== null && a.score < 1)
      .map((a) => `${a.id} (${a.score})`);
    console.log([process.argv[2].padEnd(4), String(s("accessibility")).padStart(14),
      String(s("best-practices")).padStart(15), String(s("seo")).padStart(5),
      String(s("performance")).padStart(12)].join(" "));
    if (failed.length) console.log("     below 1: " + failed.join(", "));
  ' "$report" "$run"
done
