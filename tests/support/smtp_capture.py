#!/usr/bin/env python3
"""A real SMTP server for dsr's tests (aiosmtpd), storing every message byte-exact.

Each accepted message becomes MAILDIR/new/<ns>.<QID>.eml (the raw DATA bytes:
CRLF kept, dot-unstuffed, nothing added) plus MAILDIR/new/<ns>.<QID>.eml.json,
a sidecar {mail_from, mail_options, rcpt_tos, auth_login, tls, queue_id,
dropped, peer}. The .eml is renamed into new/ after its sidecar is written and
before the reply is sent, so a client that has seen "250" finds both.

The server binds port 0 on 127.0.0.1 (no fixed ports) and prints one line
"READY port=<port>" when it accepts connections. It stops on SIGTERM/SIGINT
and when its standard input reaches end of file (the test process died).

Magic recipients (local part, case-insensitive) for error-path tests:
  tempfail@  RCPT answered "451 4.3.0 Temporary failure, try again later"
  tempfail-once@  the same 451 the first time this server sees the address,
             accepted from then on (a retry after a 4xx succeeds)
  permfail@  RCPT answered "550 5.1.1 No such user here"
  datafail@  the final reply to DATA is "554 5.6.0 Message content rejected"
  dropdata@  the message is stored, then the connection is closed without a
             reply (delivery unknown); --drop-after-data does this for all
  stall@     the message is stored, then no reply is ever sent (client timeout);
             --stall-after-data does this for all

Replies a client must cope with:
  --echo-sender   the final reply to DATA also names the envelope sender, as
                  some servers do ("250 2.0.0 Ok: queued as QID <from>")
  --refuse greeting  the greeting is "554 5.3.2 No SMTP service here"
  --refuse ehlo      EHLO and HELO are answered "500 5.5.1 Command unrecognized"

TLS: --make-cert DIR writes a self-signed certificate for localhost and
127.0.0.1 (CA:FALSE, with SAN, as rustls requires) to DIR/cert.pem and
DIR/key.pem using the openssl command; --starttls offers STARTTLS (required
for AUTH), --implicit-tls speaks TLS from the first byte (SMTPS).
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
import uuid

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Refuser(asyncio.Protocol):
    """--refuse: a server that refuses the session itself, at the greeting or at EHLO."""

    def __init__(self, at):
        self.at = at

    def connection_made(self, transport):
        self.transport = transport
        if self.at == "greeting":
            transport.write(b"554 5.3.2 No SMTP service here\r\n")
        else:
            transport.write(b"220 dsr-test.localhost ESMTP\r\n")

    def data_received(self, data):
        for line in data.decode("ascii", "replace").splitlines():
            verb = line.split(" ", 1)[0].upper()
            if verb == "QUIT":
                self.transport.write(b"221 2.0.0 Bye\r\n")
                self.transport.close()
                return
            if self.at == "ehlo" and verb in ("EHLO", "HELO"):
                self.transport.write(b"500 5.5.1 Command unrecognized\r\n")
            else:
                self.transport.write(b"503 5.5.1 Bad sequence of commands\r\n")


class CaptureHandler:
    def __init__(self, maildir, drop_after_data, stall_after_data, echo_sender=False):
        self.echo_sender = echo_sender
        self.maildir = maildir
        self.drop_after_data = drop_after_data
        self.stall_after_data = stall_after_data
        self.tempfailed_once = set()  # addresses already answered 451 (tempfail-once@)
        for sub in ("tmp", "new"):
            os.makedirs(os.path.join(maildir, sub), exist_ok=True)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local == "tempfail":
            return "451 4.3.0 Temporary failure, try again later"
        if local == "tempfail-once" and address.lower() not in self.tempfailed_once:
            self.tempfailed_once.add(address.lower())
            return "451 4.3.0 Temporary failure, try again later"
        if local == "permfail":
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    def _locals(self, envelope):
        return {r.split("@", 1)[0].lower() for r in envelope.rcpt_tos}

    def _store(self, server, session, envelope, qid, dropped):
        name = f"{time.time_ns()}.{qid}.eml"
        raw = envelope.original_content  # bytes exactly as received (dot-unstuffed)
        tmp = os.path.join(self.maildir, "tmp", name)
        with open(tmp, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        auth = session.auth_data
        meta = {
            "mail_from": envelope.mail_from,
            "mail_options": envelope.mail_options,
            "rcpt_tos": envelope.rcpt_tos,
            "auth_login": auth.decode() if isinstance(auth, bytes) else None,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "queue_id": qid,
            "dropped": dropped,
            "peer": list(session.peer) if session.peer else None,
        }
        with open(os.path.join(self.maildir, "new", name + ".json"), "w") as f:
            json.dump(meta, f)
        os.rename(tmp, os.path.join(self.maildir, "new", name))

    async def handle_DATA(self, server, session, envelope):
        locals_ = self._locals(envelope)
        if "datafail" in locals_:
            return "554 5.6.0 Message content rejected"
        qid = uuid.uuid4().hex[:12].upper()
        if self.stall_after_data or "stall" in locals_:
            self._store(server, session, envelope, qid, dropped=True)
            await asyncio.sleep(3600)
        if self.drop_after_data or "dropdata" in locals_:
            self._store(server, session, envelope, qid, dropped=True)
            server.transport.abort()
            return "250 never seen by the client"
        self._store(server, session, envelope, qid, dropped=False)
        if self.echo_sender:
            return f"250 2.0.0 Ok: queued as {qid} <{envelope.mail_from}>"
        return f"250 2.0.0 Ok: queued as {qid}"


def make_authenticator(users):
    def authenticator(server, session, envelope, mechanism, auth_data):
        if mechanism not in ("LOGIN", "PLAIN") or not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = users.get(auth_data.login.decode()) == auth_data.password.decode()
        return AuthResult(success=ok, handled=False, auth_data=auth_data.login if ok else None)

    return authenticator


def make_cert(directory):
    os.makedirs(directory, exist_ok=True)
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
         "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-addext", "basicConstraints=critical,CA:FALSE",
         "-addext", "keyUsage=digitalSignature,keyEncipherment",
         "-addext", "extendedKeyUsage=serverAuth"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    return cert, key


async def serve(a):
    handler = CaptureHandler(a.maildir, a.drop_after_data, a.stall_after_data, a.echo_sender)
    ctx = None
    if a.make_cert:
        cert, key = make_cert(a.make_cert)
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(cert, key)
    kw = dict(hostname="dsr-test.localhost", ident="dsr-test-smtp")
    if a.starttls:
        kw.update(tls_context=ctx, require_starttls=a.require_starttls)
    if a.auth:
        users = dict(u.split(":", 1) for u in a.auth)
        # aiosmtpd counts only STARTTLS as TLS for auth_require_tls; on SMTPS it would
        # hide AUTH, so relax it there (the socket is encrypted anyway).
        kw.update(authenticator=make_authenticator(users), auth_required=a.auth_required,
                  auth_require_tls=not (a.auth_without_tls or a.implicit_tls))

    loop = asyncio.get_running_loop()
    if a.refuse:
        factory = lambda: Refuser(a.refuse)
    else:
        factory = lambda: SMTP(handler, loop=loop, **kw)
    server = await loop.create_server(factory, host="127.0.0.1", port=0, ssl=ctx if a.implicit_tls else None)
    port = server.sockets[0].getsockname()[1]
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    def watch_stdin():
        try:
            sys.stdin.buffer.read()
        finally:
            loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch_stdin, daemon=True).start()
    print(f"READY port={port}", flush=True)
    await stop.wait()
    server.close()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--maildir", required=True)
    p.add_argument("--make-cert", metavar="DIR", help="make a self-signed certificate in DIR and use it")
    p.add_argument("--starttls", action="store_true", help="offer STARTTLS (needs --make-cert)")
    p.add_argument("--require-starttls", action="store_true")
    p.add_argument("--implicit-tls", action="store_true", help="SMTPS (needs --make-cert)")
    p.add_argument("--auth", action="append", default=[], metavar="USER:PASS")
    p.add_argument("--auth-required", action="store_true")
    p.add_argument("--auth-without-tls", action="store_true", help="advertise AUTH on plaintext too")
    p.add_argument("--drop-after-data", action="store_true")
    p.add_argument("--stall-after-data", action="store_true")
    p.add_argument("--echo-sender", action="store_true", help="name the envelope sender in the final reply")
    p.add_argument("--refuse", choices=["greeting", "ehlo"], help="refuse the session at this step")
    a = p.parse_args()
    if (a.starttls or a.implicit_tls) and not a.make_cert:
        p.error("--starttls/--implicit-tls need --make-cert DIR")
    asyncio.run(serve(a))


if __name__ == "__main__":
    main()
