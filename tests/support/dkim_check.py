#!/usr/bin/env python3
"""DKIM keys and offline verification for dsr's tests (dkimpy + pynacl).

  dkim_check.py keys DIR
      writes DIR/rsa.pem (PKCS#1 PEM, via `openssl genrsa -traditional`),
      DIR/rsa.txt (its DNS TXT record), DIR/ed25519.key (base64 of the
      32-byte seed, as dsr reads it) and DIR/ed25519.txt (its TXT record);
      the same as PKCS#8 PEM, what openssl writes by default:
      DIR/rsa8.pem + DIR/rsa8.txt (`openssl genrsa`) and DIR/ed25519.pem +
      DIR/ed25519-pem.txt (`openssl genpkey -algorithm ed25519`).
  dkim_check.py verify MESSAGE.eml NAME=RECORD_FILE ...
      verifies every DKIM-Signature; the DNS lookup of NAME
      (e.g. dsr2026._domainkey.example.org) is answered from RECORD_FILE.
      Prints "signature ok" and exits 0, or prints the reason and exits 1.
"""
import base64
import os
import subprocess
import sys


def keys(directory):
    import nacl.signing

    os.makedirs(directory, exist_ok=True)
    pem = os.path.join(directory, "rsa.pem")
    subprocess.run(["openssl", "genrsa", "-traditional", "-out", pem, "2048"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    der = subprocess.run(["openssl", "rsa", "-in", pem, "-pubout", "-outform", "DER"],
                         check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    with open(os.path.join(directory, "rsa.txt"), "w") as f:
        f.write("v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode())
    pem8 = os.path.join(directory, "rsa8.pem")
    subprocess.run(["openssl", "genrsa", "-out", pem8, "2048"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not open(pem8).read().startswith("-----BEGIN PRIVATE KEY-----"):
        raise SystemExit("openssl genrsa did not write PKCS#8")
    der = subprocess.run(["openssl", "pkey", "-in", pem8, "-pubout", "-outform", "DER"],
                         check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    with open(os.path.join(directory, "rsa8.txt"), "w") as f:
        f.write("v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode())
    edpem = os.path.join(directory, "ed25519.pem")
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", edpem],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    der = subprocess.run(["openssl", "pkey", "-in", edpem, "-pubout", "-outform", "DER"],
                         check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    # The SubjectPublicKeyInfo ends with the raw 32-byte key (RFC 8410).
    with open(os.path.join(directory, "ed25519-pem.txt"), "w") as f:
        f.write("v=DKIM1; k=ed25519; p=" + base64.b64encode(der[-32:]).decode())
    sk = nacl.signing.SigningKey.generate()
    with open(os.path.join(directory, "ed25519.key"), "w") as f:
        f.write(base64.b64encode(bytes(sk)).decode() + "\n")
    with open(os.path.join(directory, "ed25519.txt"), "w") as f:
        f.write("v=DKIM1; k=ed25519; p=" + base64.b64encode(bytes(sk.verify_key)).decode())


def verify(path, specs):
    import logging

    import dkim

    records = {}
    for spec in specs:
        name, record = spec.split("=", 1)
        records[name.rstrip(".").lower()] = open(record, "rb").read().strip()

    def dnsfunc(name, timeout=5):
        key = name.decode() if isinstance(name, bytes) else name
        return records.get(key.rstrip(".").lower())

    msg = open(path, "rb").read()
    logging.basicConfig(stream=sys.stderr, level=logging.INFO)
    d = dkim.DKIM(msg, logger=logging.getLogger("dkim"))
    count = msg.count(b"DKIM-Signature:")
    ok = count > 0 and all(d.verify(idx=i, dnsfunc=dnsfunc) for i in range(count))
    print("signature ok" if ok else f"signature verification FAILED ({count} signatures)")
    return 0 if ok else 1


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "keys":
        keys(sys.argv[2])
        return 0
    if len(sys.argv) >= 4 and sys.argv[1] == "verify":
        return verify(sys.argv[2], sys.argv[3:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
