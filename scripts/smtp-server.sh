#!/usr/bin/env bash
# Starts or stops a real SMTP server (aiosmtpd, scripts/smtp_sink.py) on 127.0.0.1 for
# tests/mail.rs: plain, plain with login, STARTTLS and TLS listeners with a certificate from a
# throw-away test CA. `start` prints `export DSAR_TEST_SMTP=…` (the JSON file with ports,
# CA and mail folder) for the caller to eval.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE="$PWD/target/smtp-test"
PIDFILE="$STATE/server.pid"

stop() {
  if [ -f "$PIDFILE" ]; then
    pid="$(cat "$PIDFILE")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$PIDFILE"
  fi
  # Tests started later then fail saying the server is not running, not with refused connections.
  rm -f "$STATE/env.json"
}

case "${1:-}" in
  start)
    stop
    bash scripts/ensure-packages.sh openssl:openssl >&2
    BIN="$(bash scripts/python-peers.sh)"
    rm -rf "$STATE"; mkdir -p "$STATE/mail"
    (
      cd "$STATE"
      # A CA and a server certificate for 127.0.0.1 signed by it: rustls refuses a
      # self-signed CA certificate used directly as the server's.
      openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=DSAR desk test CA" \
        -keyout ca.key -out ca.pem -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
      openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server.key -out server.csr 2>/dev/null
      printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n' > server.ext
      openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
        -extfile server.ext -out server.pem 2>/dev/null
    )
    nohup "$BIN/python" scripts/smtp_sink.py --mail "$STATE/mail" --env "$STATE/env.json" \
      --cert "$STATE/server.pem" --key "$STATE/server.key" --ca "$STATE/ca.pem" \
      >"$STATE/server.log" 2>&1 &
    echo $! >"$PIDFILE"
    for _ in $(seq 100); do
      [ -f "$STATE/env.json" ] && break
      kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { cat "$STATE/server.log" >&2; echo "SMTP test server failed to start" >&2; exit 1; }
      sleep 0.2
    done
    [ -f "$STATE/env.json" ] || { cat "$STATE/server.log" >&2; echo "SMTP test server did not start in 20 s" >&2; stop; exit 1; }
    echo "export DSAR_TEST_SMTP=$STATE/env.json"
    ;;
  stop)
    stop
    ;;
  *)
    echo "usage: scripts/smtp-server.sh start|stop" >&2
    exit 2
    ;;
esac
