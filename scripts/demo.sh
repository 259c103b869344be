#!/usr/bin/env bash
# Runs DSAR desk on a fresh demo database: a real firm's register, its systems as small files
# beside the database (an SQLite app, Slack notifications, a CRM and an invoice export), and
# ~30 cases in every state, some already searched. Shows the desk (the case list with days
# left, the most urgent case), then works one open access request end to end: search the
# firm's systems, what was found, the answer letter (PDF) and the export bundle (.zip).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-packages.sh cc:build-essential perl:perl make:make python3:python3
export CARGO_PROFILE_DEV_DEBUG=0
cargo build --quiet --locked --bin dsar

export DSAR_DB="${DSAR_DB:-$PWD/target/demo/dsar-demo.db}"
export DSAR_PASSPHRASE="${DSAR_PASSPHRASE:-dsar-demo-passphrase}"
dsar=target/debug/dsar
out=target/demo
mkdir -p "$out"
if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
section() { printf '\n%s== %s ==%s\n' "$bold" "$*" "$plain"; }

$dsar demo --force

section "The desk: every case, most urgent first"
$dsar case list --limit 100
first=$($dsar case list --overdue --limit 1 --json | python3 -c 'import json,sys; c=json.load(sys.stdin)["cases"]; print(c[0]["reference"] if c else "")' 2>/dev/null || true)
if [ -n "$first" ]; then
  section "Most urgent case: dsar case show $first"
  $dsar case show "$first"
fi

# The most urgent open access request whose subject the firm's systems know (the demo has
# already searched a few open cases; pick one with records in at least three systems).
read -r pick about < <(DSAR="$dsar" python3 - <<'EOF' || true
import json, os, subprocess
def dsar(*args):
    return json.loads(subprocess.run([os.environ["DSAR"], *args, "--json"], check=True, capture_output=True, text=True).stdout)
for c in dsar("case", "list", "--limit", "1000")["cases"]:
    if c["status"] != "closed" and "access" in c["rights"]:
        if len({e["system"] for e in dsar("case", "evidence", c["reference"])["evidence"]}) >= 3:
            d = c["days_left"]
            left = "clock paused" if d is None else f"{d} days left" if d >= 0 else f"{-d} days overdue"
            print(c["reference"], f'{c["subject_name"]}, {" + ".join(c["rights"])}, {left}')
            break
EOF
) || true
if [ -z "${pick:-}" ]; then
  echo "no open access case with data found in the demo" >&2
  exit 1
fi

section "Answering $pick ($about): search the firm's systems (dsar case pull $pick)"
$dsar case pull "$pick"

section "What was found (dsar case evidence $pick)"
evidence="$out/$pick-evidence.txt"
$dsar case evidence "$pick" >"$evidence"
if [ "$(wc -l <"$evidence")" -le 12 ]; then
  cat "$evidence"
else
  head -n 11 "$evidence"
  echo "… $(tail -n 1 "$evidence") in all: $evidence"
fi

section "Systems searched by hand (dsar case tasks $pick)"
$dsar case tasks "$pick" >"$out/$pick-tasks.txt"
head -n 11 "$out/$pick-tasks.txt"
echo "    … the whole e-mail to the processor: $out/$pick-tasks.txt"

section "The answer letter (dsar letter $pick --kind access-response)"
rm -f "$out/$pick-access-response.pdf" "$out/$pick.zip"
# The demo register has gaps (Slack's and Gmail's storage periods): the final letter is refused
# until they are filled; a draft shows the letter, marked as such on every page.
$dsar letter "$pick" --kind access-response --out "$out/$pick-access-response.pdf" 2>&1 || true
$dsar letter "$pick" --kind access-response --draft --out "$out/$pick-access-response.pdf" 2>&1

section "The copy of the data (dsar export $pick)"
$dsar export "$pick" --out "$out/$pick.zip"

section "Files"
cat <<EOF
Database:        $DSAR_DB (passphrase: $DSAR_PASSPHRASE)
Firm's systems:  $(dirname "$DSAR_DB")/demo-data/data/  (SQLite, JSON Lines, CSV; see: dsar register list)
Letter:          $PWD/$out/$pick-access-response.pdf
Export bundle:   $PWD/$out/$pick.zip  (manifest.json, data/<system>/*.json|csv, index.html, the letter)

Try it yourself:
  export DSAR_DB=$DSAR_DB DSAR_PASSPHRASE=$DSAR_PASSPHRASE
  $dsar case show $pick
  $dsar case tasks $pick
  $dsar --help
EOF
