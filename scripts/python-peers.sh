#!/usr/bin/env bash
# Installs the Python programs the tests use as independent peers into target/python-peers:
# aiosmtpd (a real SMTP server, scripts/smtp-server.sh) and check-jsonschema (validates the
# bundle manifest against schemas/bundle-manifest.schema.json), sqlcipher3 (SQLCipher 4 with
# Python: the E2E tests count the encrypted database's rows with SQL of their own, independent
# of our code). Prints the venv's bin folder.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="$PWD/target/python-peers"
if ! "$VENV/bin/python" -c 'import aiosmtpd, sqlcipher3' 2>/dev/null || [ ! -x "$VENV/bin/check-jsonschema" ]; then
  bash scripts/ensure-packages.sh python3:python3
  if ! python3 -m venv "$VENV" >/dev/null 2>&1; then
    # Debian splits venv support (ensurepip) into its own package.
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv
    rm -rf "$VENV"
    python3 -m venv "$VENV"
  fi
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check 'aiosmtpd==1.4.6' 'check-jsonschema==0.39.0' 'sqlcipher3-binary==0.6.0' >&2
fi
echo "$VENV/bin"
