#!/usr/bin/env python3
"""A real RFC 3161 time-stamping authority on loopback, for dsr's tests.

At start it makes, with the `openssl` command, a CA and a TSA certificate
(extendedKeyUsage critical timeStamping) signed by it, in DIR, and an
`openssl ts` config. Then it serves HTTP on 127.0.0.1 (a free port) and
prints `READY port=N`. Each POST's body, a DER TimeStampReq, is answered
by `openssl ts -reply` with a DER TimeStampResp.

What it does with a request is read from DIR/mode at each request, so a
test can switch it while it runs:

  ok         a granted token (the default)
  refuse     HTTP 500
  reject     HTTP 200 with a TimeStampResp of status rejection
  hang       accept, read the request, never answer
  garbage    HTTP 200 with bytes that are no TimeStampResp
  wrong      a granted token over another message (a wrong imprint)

Every request's body is kept as DIR/requests/N.tsq. Stops when stdin
closes (the test dropped its handle).
"""

import argparse
import http.server
import os
import subprocess
import sys
import threading
import time


def run(*args, **kw):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def make_pki(d, key):
    def newkey(path):
        if key == "rsa":
            run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path)
        else:
            run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path)

    newkey(os.path.join(d, "ca.key"))
    run("openssl", "req", "-x509", "-new", "-key", os.path.join(d, "ca.key"), "-subj", "/CN=dsr test TSA CA",
        "-days", "2", "-out", os.path.join(d, "ca.pem"), "-addext", "basicConstraints=critical,CA:true",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    newkey(os.path.join(d, "tsa.key"))
    run("openssl", "req", "-new", "-key", os.path.join(d, "tsa.key"), "-subj", "/CN=dsr test TSA",
        "-out", os.path.join(d, "tsa.csr"))
    with open(os.path.join(d, "tsa.ext"), "w") as f:
        f.write("basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\n"
                "extendedKeyUsage=critical,timeStamping\n")
    run("openssl", "x509", "-req", "-in", os.path.join(d, "tsa.csr"), "-CA", os.path.join(d, "ca.pem"),
        "-CAkey", os.path.join(d, "ca.key"), "-CAcreateserial", "-days", "2", "-extfile",
        os.path.join(d, "tsa.ext"), "-out", os.path.join(d, "tsa.pem"))
    with open(os.path.join(d, "serial"), "w") as f:
        f.write("01\n")
    with open(os.path.join(d, "tsa.cnf"), "w") as f:
        f.write(f"""[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {d}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.4146.2.3
other_policies = 1.3.6.1.4.1.4146.2.2
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
""")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--key", choices=["rsa", "ec"], default="ec")
    a = ap.parse_args()
    d = os.path.abspath(a.dir)
    os.makedirs(os.path.join(d, "requests"), exist_ok=True)
    make_pki(d, a.key)
    lock = threading.Lock()
    count = [0]

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with lock:
                count[0] += 1
                n = count[0]
            q = os.path.join(d, "requests", f"{n}.tsq")
            with open(q, "wb") as f:
                f.write(body)
            try:
                with open(os.path.join(d, "mode")) as f:
                    mode = f.read().strip() or "ok"
            except FileNotFoundError:
                mode = "ok"
            if mode == "hang":
                time.sleep(3600)
                return
            if mode == "refuse":
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if mode == "garbage":
                return self.reply(b"this is not a TimeStampResp")
            if mode == "reject":
                # status rejection (2), no token
                return self.reply(bytes.fromhex("30053003020102"))
            if mode == "wrong":
                other = os.path.join(d, f"other{n}.tsq")
                data = os.path.join(d, f"other{n}.txt")
                with open(data, "wb") as f:
                    f.write(b"some other message")
                run("openssl", "ts", "-query", "-data", data, "-sha256", "-cert", "-out", other)
                q = other
            r = os.path.join(d, "requests", f"{n}.tsr")
            try:
                run("openssl", "ts", "-reply", "-config", os.path.join(d, "tsa.cnf"), "-queryfile", q,
                    "-out", r)
            except subprocess.CalledProcessError as e:
                sys.stderr.write(e.stderr.decode(errors="replace"))
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            with open(r, "rb") as f:
                self.reply(f.read())

        def reply(self, data):
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"READY port={server.server_address[1]}", flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main()
