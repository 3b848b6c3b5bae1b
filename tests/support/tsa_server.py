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
  slow       a granted token, after 1.5 s (its genTime a second later)
  refuse     HTTP 500
  reject     HTTP 200 with a TimeStampResp of status rejection
  hang       accept, read the request, never answer
  garbage    HTTP 200 with bytes that are no TimeStampResp
  wrong      a granted token over another message (a wrong imprint)
  foreign    a token by a TSA whose certificate chains to another CA
  expired    a token whose TSA certificate had expired (2020) before genTime
  noeku      a token by a certificate of the CA without extendedKeyUsage
             timeStamping (emailProtection; re-signed, as openssl ts -reply
             refuses such a signer)
  badattr    a token whose signed signingTime was changed after signing
  wrongess   a token whose signing-certificate-v2 names the CA certificate,
             re-signed with the TSA's key (a valid signature, a wrong binding)

Every request's body is kept as DIR/requests/N.tsq, the reply as N.tsr. Stops when stdin
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
    # Another CA and a TSA certificate under it (foreign).
    newkey(os.path.join(d, "other-ca.key"))
    run("openssl", "req", "-x509", "-new", "-key", os.path.join(d, "other-ca.key"), "-subj", "/CN=another TSA CA",
        "-days", "2", "-out", os.path.join(d, "other-ca.pem"), "-addext", "basicConstraints=critical,CA:true",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("openssl", "x509", "-req", "-in", os.path.join(d, "tsa.csr"), "-CA", os.path.join(d, "other-ca.pem"),
        "-CAkey", os.path.join(d, "other-ca.key"), "-CAcreateserial", "-days", "2", "-extfile",
        os.path.join(d, "tsa.ext"), "-out", os.path.join(d, "foreign.pem"))
    # The same key, certified by the CA without timeStamping (noeku).
    with open(os.path.join(d, "noeku.ext"), "w") as f:
        f.write("basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\n"
                "extendedKeyUsage=emailProtection\n")
    run("openssl", "x509", "-req", "-in", os.path.join(d, "tsa.csr"), "-CA", os.path.join(d, "ca.pem"),
        "-CAkey", os.path.join(d, "ca.key"), "-CAcreateserial", "-days", "2", "-extfile",
        os.path.join(d, "noeku.ext"), "-out", os.path.join(d, "noeku.pem"))
    # The same key and usage, valid only in January 2020 (expired): openssl ca sets past dates.
    cadir = os.path.join(d, "ca-db")
    os.makedirs(cadir, exist_ok=True)
    open(os.path.join(cadir, "index.txt"), "w").close()
    with open(os.path.join(cadir, "serial"), "w") as f:
        f.write("1000\n")
    with open(os.path.join(d, "ca.cnf"), "w") as f:
        f.write(f"""[ ca ]
default_ca = c
[ c ]
database = {cadir}/index.txt
serial = {cadir}/serial
new_certs_dir = {cadir}
default_md = sha256
policy = p
unique_subject = no
[ p ]
commonName = supplied
""")
    run("openssl", "ca", "-batch", "-notext", "-config", os.path.join(d, "ca.cnf"), "-cert",
        os.path.join(d, "ca.pem"), "-keyfile", os.path.join(d, "ca.key"), "-in", os.path.join(d, "tsa.csr"),
        "-startdate", "20200101000000Z", "-enddate", "20200131000000Z", "-extfile", os.path.join(d, "tsa.ext"),
        "-out", os.path.join(d, "expired.pem"))
    with open(os.path.join(d, "serial"), "w") as f:
        f.write("01\n")
    for name, signer in [("tsa", "tsa.pem"), ("foreign", "foreign.pem"), ("expired", "expired.pem")]:
        tsa_config(d, name, signer)


def tsa_config(d, name, signer):
    with open(os.path.join(d, name + ".cnf"), "w") as f:
        f.write(f"""[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {d}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/{signer}
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


def der_parse(b):
    """DER bytes as a list of [tag, value] where a constructed value is a list."""
    out, i = [], 0
    while i < len(b):
        tag, first = b[i], b[i + 1]
        i += 2
        if first < 0x80:
            n = first
        else:
            k = first & 0x7F
            n = int.from_bytes(b[i:i + k], "big")
            i += k
        v = b[i:i + n]
        i += n
        out.append([tag, der_parse(v) if tag & 0x20 else v])
    return out


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def der_write(nodes):
    out = b""
    for tag, v in nodes:
        body = der_write(v) if isinstance(v, list) else v
        out += bytes([tag]) + der_len(len(body)) + body
    return out


OID_SIGNING_TIME = bytes.fromhex("2a864886f70d010905")
OID_SIGNING_CERT_V2 = bytes.fromhex("2a864886f70d010910022f")


def pem_der(path):
    r = subprocess.run(["openssl", "x509", "-in", path, "-outform", "DER"], check=True, capture_output=True)
    return r.stdout


def doctor(d, reply, mode):
    """A granted reply, changed after signing as `mode` says (see the module docs)."""
    resp = der_parse(reply)
    token = resp[0][1][1][1]                    # ContentInfo's fields
    sd = token[1][1][0][1]                      # SignedData's fields
    certs = next(n for n in sd if n[0] == 0xA0)
    si = [n for n in sd if n[0] == 0x31][-1][1][0][1]  # the last SET: signerInfos
    attrs = next(n for n in si if n[0] == 0xA0)[1]
    def attr(oid):
        return next(a for a in attrs if a[1][0][1] == oid)[1][1][1]  # the value SET's items
    if mode == "badattr":
        t = attr(OID_SIGNING_TIME)[0]
        t[1] = t[1][:-2] + (b"0" if t[1][-2:-1] != b"0" else b"1") + b"Z"
        return der_write(resp)
    import hashlib
    ess_ids = attr(OID_SIGNING_CERT_V2)[0][1][0][1]   # SigningCertificateV2.certs
    cert_hash = next(n for n in ess_ids[0][1] if n[0] == 0x04)
    if mode == "wrongess":
        cert_hash[1] = hashlib.sha256(pem_der(os.path.join(d, "ca.pem"))).digest()
    elif mode == "noeku":
        cert = pem_der(os.path.join(d, "noeku.pem"))
        cert_hash[1] = hashlib.sha256(cert).digest()
        ess_ids[0][1] = [n for n in ess_ids[0][1] if n[0] != 0x30 or n is cert_hash]  # drop issuerSerial
        certs[1] = der_parse(cert)
        serial = der_parse(cert)[0][1][0][1][1][1]  # tbsCertificate's serialNumber
        sid = si[1][1]
        sid[1][1] = serial
    to_sign = der_write([[0x31, attrs]])
    with open(os.path.join(d, "attrs.der"), "wb") as f:
        f.write(to_sign)
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", os.path.join(d, "tsa.key"),
                          os.path.join(d, "attrs.der")], check=True, capture_output=True).stdout
    next(n for n in si if n[0] == 0x04)[1] = sig
    return der_write(resp)


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
            if mode == "slow":
                time.sleep(1.5)
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
            cnf = mode if mode in ("foreign", "expired") else "tsa"
            try:
                run("openssl", "ts", "-reply", "-config", os.path.join(d, cnf + ".cnf"), "-queryfile", q,
                    "-out", r)
                if mode in ("badattr", "wrongess", "noeku"):
                    with open(r, "rb") as f:
                        doctored = doctor(d, f.read(), mode)
                    with open(r, "wb") as f:
                        f.write(doctored)
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
