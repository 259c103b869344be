"""A real SMTP server for the mail tests (aiosmtpd), on 127.0.0.1 only.

Four listeners: plain without login, plain with a required login, STARTTLS (required) and
implicit TLS, the last two with a certificate signed by a test CA. Every message received is
written as <n>.eml (the exact bytes) with <n>.json (envelope sender, recipients, port) into
the mail folder. When all listeners run, the ports and paths are written to the env file as
JSON, which the tests read through DSAR_TEST_SMTP.
"""

import argparse
import asyncio
import json
import os
import signal
import socket
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "dpo@desk.test"
PASSWORD = "correct-smtp-password"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    def __init__(self, folder, label):
        self.folder = folder
        self.label = label

    async def handle_DATA(self, server, session, envelope):
        lock.acquire()
        try:
            n = len([f for f in os.listdir(self.folder) if f.endswith(".eml")]) + 1
            base = os.path.join(self.folder, f"{n:04d}")
            with open(base + ".eml.part", "wb") as f:
                f.write(envelope.original_content or envelope.content)
            with open(base + ".json", "w") as f:
                json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                           "listener": self.label, "login": bool(getattr(session, "authenticated", False))}, f)
            os.rename(base + ".eml.part", base + ".eml")
        finally:
            lock.release()
        return "250 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data):
    if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD:
        return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


lock = threading.Lock()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mail", required=True)
    p.add_argument("--env", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--ca", required=True)
    a = p.parse_args()
    os.makedirs(a.mail, exist_ok=True)

    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(a.cert, a.key)

    ports = {name: free_port() for name in ("plain", "auth", "starttls", "tls")}
    controllers = [
        Controller(Sink(a.mail, "plain"), hostname="127.0.0.1", port=ports["plain"]),
        Controller(Sink(a.mail, "auth"), hostname="127.0.0.1", port=ports["auth"],
                   authenticator=authenticator, auth_required=True, auth_require_tls=False),
        Controller(Sink(a.mail, "starttls"), hostname="127.0.0.1", port=ports["starttls"],
                   tls_context=tls, require_starttls=True),
        Controller(Sink(a.mail, "tls"), hostname="127.0.0.1", port=ports["tls"], ssl_context=tls),
    ]
    for c in controllers:
        c.start()

    env = {"host": "127.0.0.1", **ports, "ca": os.path.abspath(a.ca), "maildir": os.path.abspath(a.mail),
           "user": USER, "password": PASSWORD}
    with open(a.env + ".part", "w") as f:
        json.dump(env, f)
    os.rename(a.env + ".part", a.env)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    for c in controllers:
        c.stop()


if __name__ == "__main__":
    main()
