#!/usr/bin/env python3
"""Independent verifier for dsr's evidence: logs (formats 1 and 2), signed
checkpoints, inclusion and consistency proofs, and evidence bundles
(formats 1 and 2).

Written from docs/evidence-log.md and docs/evidence-bundle.md alone, with
the Python standard library and the `openssl` command (for Ed25519
signatures and, with --tsa-ca, `openssl ts -verify` of RFC 3161 timestamp
tokens; OpenSSL 3).

    python3 verify_log.py [log] DATA_DIR [--objects] [--head HASH]
                          [--checkpoint FILE]... [--key KEY] [--tsa-ca CA.pem]...
    python3 verify_log.py bundle DIR [--checkpoint FILE] [--key KEY] [--head HASH] [--tsa-ca CA.pem]...
    python3 verify_log.py proof PROOF.json [--key KEY] [--checkpoint FILE]
    python3 verify_log.py consistency OLD NEW PROOF.json [--key KEY]
    python3 verify_log.py vectors merkle-test-vectors.json

Prints "ok: ..." lines and exits 0, or prints the first problem and exits
4 ("line N: ...", "object HASH: ... (line N)", "checkpoint FILE: ...", or
for a bundle "FILE: ..."). Exit 2 means bad usage, or nothing to check.
KEY is a verifier key as `dsr key show` prints it (NAME+ID+BASE64).
"""
import argparse
import base64
import binascii
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import datetime, timezone

LOG_V1 = "dsr-evidence-log/1"
LOG_V2 = "dsr-evidence-log/2"
BUNDLE_V1 = "dsr-evidence-bundle/1"
BUNDLE_V2 = "dsr-evidence-bundle/2"
PROOFS_FORMAT = "dsr-bundle-proofs/1"
INCLUSION_FORMAT = "dsr-inclusion-proofs/1"
CONSISTENCY_FORMAT = "dsr-consistency-proof/1"
MAX_LINE = 1 << 20
MAX_DEPTH = 128
ZERO = "0" * 64
HEX64 = re.compile(r"[0-9a-f]{64}\Z")
TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")
EVENT = re.compile(r"[a-z][a-z0-9_]{0,63}\Z")
REQUEST = re.compile(r"r_[a-z2-7]{16}\Z")
MEMBERS = {"seq", "time", "event", "request", "data", "prev"}
SIG_DASH = "\u2014 "


class Bad(Exception):
    pass


# ---------------------------------------------------------------------------
# Strict JSON (evidence-log.md §1)

def no_duplicates(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise Bad("duplicate member %r" % k)
        seen[k] = v
    return seen


def reject_constant(name):
    raise Bad("not JSON: %s" % name)


def finite_float(text):
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise Bad("number out of range")
    return value


def finite_int(text):
    # "-0" is a float (-0.0) for dsr's parser: not an integer, so never a
    # valid seq or size (as data it is just a number).
    if text == "-0":
        return -0.0
    # An integer too large for a double is out of range, like 1e999.
    try:
        if float(text) in (float("inf"), float("-inf")):
            raise Bad("number out of range")
    except OverflowError:
        raise Bad("number out of range")
    return int(text)


def check_value(value, depth):
    """Nesting at most MAX_DEPTH arrays/objects; no lone surrogates."""
    if depth > MAX_DEPTH:
        raise Bad("nested deeper than %d" % MAX_DEPTH)
    if isinstance(value, str):
        value.encode("utf-8")
    elif isinstance(value, list):
        for v in value:
            check_value(v, depth + 1)
    elif isinstance(value, dict):
        for k, v in value.items():
            k.encode("utf-8")
            check_value(v, depth + 1)


def strict_json(text):
    try:
        obj = json.loads(text, object_pairs_hook=no_duplicates,
                         parse_constant=reject_constant, parse_float=finite_float,
                         parse_int=finite_int)
    except RecursionError:
        raise Bad("nested deeper than %d" % MAX_DEPTH)
    check_value(obj, 1)
    return obj


def is_uint(v):
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**64


def is_origin(s):
    return (isinstance(s, str) and 0 < len(s.encode()) <= 255
            and all(0x21 <= ord(c) <= 0x7e and c != "+" for c in s))


def purge_shape(event, request, data):
    """Section 5: data.purged only in a purged line, which names its request."""
    if event == "purged":
        if request is None:
            raise Bad('a "purged" line names the request whose objects it deleted')
        if "purged" not in data:
            raise Bad('a "purged" line lists the deleted objects in data.purged')
    elif "purged" in data:
        raise Bad('data.purged is allowed only in a "purged" line, not in %s' % json.dumps(event))


def parse_line(raw):
    """One line's bytes (without the newline) -> dict, or Bad."""
    try:
        text = raw.decode("utf-8")
        obj = strict_json(text)
    except Bad:
        raise
    except (UnicodeError, ValueError) as e:
        raise Bad("not a valid log line: %s" % e)
    if not isinstance(obj, dict) or set(obj) != MEMBERS:
        raise Bad("not a valid log line: members must be exactly %s" % sorted(MEMBERS))
    if not is_uint(obj["seq"]):
        raise Bad("seq is not an unsigned integer")
    t = obj["time"]
    if not isinstance(t, str) or not TIME.match(t):
        raise Bad("time %r is not YYYY-MM-DDTHH:MM:SSZ" % (t,))
    try:
        datetime.strptime(t, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise Bad("time %r is not a real date and time" % t)
    if not isinstance(obj["event"], str) or not EVENT.match(obj["event"]):
        raise Bad("event %r is not snake_case" % (obj["event"],))
    r = obj["request"]
    if r is not None and (not isinstance(r, str) or not REQUEST.match(r)):
        raise Bad("request %r is not a request id" % (r,))
    if not isinstance(obj["prev"], str) or not HEX64.match(obj["prev"]):
        raise Bad("prev is not 64 lowercase hex digits")
    data = obj["data"]
    if not isinstance(data, dict):
        raise Bad("data is not a JSON object")
    objects = data.get("objects", [])
    if not isinstance(objects, list):
        raise Bad("data.objects is not an array")
    for i, o in enumerate(objects):
        if (not isinstance(o, dict) or set(o) != {"role", "sha256", "size"}
                or not isinstance(o["role"], str) or o["role"] == ""
                or not isinstance(o["sha256"], str) or not HEX64.match(o["sha256"])
                or not is_uint(o["size"])):
            raise Bad("data.objects[%d] is not {role, sha256, size}" % i)
    purged = data.get("purged", [])
    if not isinstance(purged, list) or not all(isinstance(h, str) and HEX64.match(h) for h in purged):
        raise Bad("data.purged is not an array of hashes")
    if "request_prev" in data and not is_uint(data["request_prev"]):
        raise Bad("data.request_prev is not an unsigned integer")
    return obj


# ---------------------------------------------------------------------------
# RFC 9162 Merkle tree (evidence-log.md §10)

def sha256(b):
    return hashlib.sha256(b).digest()


def leaf_hash(line):
    return sha256(b"\x00" + line)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


class Range:
    """The roots of the perfect subtrees covering leaves 0..size."""

    def __init__(self):
        self.size = 0
        self.hashes = []

    def append(self, leaf):
        h, s = leaf, self.size
        while s & 1:
            h = node_hash(self.hashes.pop(), h)
            s >>= 1
        self.hashes.append(h)
        self.size += 1

    def root(self):
        if not self.hashes:
            return sha256(b"")
        h = self.hashes[-1]
        for x in reversed(self.hashes[:-1]):
            h = node_hash(x, h)
        return h


def inclusion_len(index, size):
    """The length of PATH(m, D[n]) (RFC 9162 2.1.3.1)."""
    n = 0
    lo, hi, m = 0, size, index
    while hi - lo > 1:
        k = 1 << ((hi - lo - 1).bit_length() - 1)
        if m < k:
            hi = lo + k
        else:
            lo, m = lo + k, m - k
        n += 1
    return n


def verify_inclusion(index, size, leaf, proof, root):
    """RFC 9162 2.1.3.2. Returns None if it holds, else why not."""
    if index >= size:
        return "leaf %d is not in a tree of %d leaves" % (index, size)
    if len(proof) != inclusion_len(index, size):
        return "the proof has %d hashes, %d were expected" % (len(proof), inclusion_len(index, size))
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return "the proof is too long"
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn & 1 == 0 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        return "the proof is too short"
    if r != root:
        return "the proof leads to root %s, not to %s" % (r.hex(), root.hex())
    return None


def verify_consistency(size1, size2, proof, root1, root2):
    """RFC 9162 2.1.4.2 (size1 == 0 refused; equal sizes need an empty
    proof and equal roots). Returns None if it holds, else why not."""
    if size1 == 0 or size1 > size2:
        return "no consistency proof exists from size %d to size %d" % (size1, size2)
    if size1 == size2:
        if proof:
            return "equal sizes need an empty proof"
        return None if root1 == root2 else "equal sizes with different roots"
    if not proof:
        return "empty proof"
    path = list(proof)
    if size1 & (size1 - 1) == 0:
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return "the proof is too long"
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while fn & 1 == 0 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if fr != root1:
        return "the proof leads to old root %s, not to %s" % (fr.hex(), root1.hex())
    if sr != root2:
        return "the proof leads to root %s, not to %s" % (sr.hex(), root2.hex())
    if sn != 0:
        return "the proof is too short"
    return None


def unhex32(s, what):
    if not isinstance(s, str) or not HEX64.match(s):
        raise Bad("%s is not 64 lowercase hex digits" % what)
    return bytes.fromhex(s)


# ---------------------------------------------------------------------------
# C2SP signed notes and checkpoints (evidence-log.md §11)

def b64decode(s):
    try:
        return base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError):
        raise Bad("not base64")


def key_id(name, pub):
    return sha256(name.encode() + b"\n" + b"\x01" + pub)[:4]


def parse_vkey(text):
    """NAME+ID+BASE64(0x01 || key) -> (name, id, pub)."""
    parts = text.strip().split("+", 2)
    if len(parts) != 3:
        raise Bad("a verifier key is NAME+ID+BASE64")
    name, kid, b64 = parts
    if not name or any(c.isspace() for c in name):
        raise Bad("bad key name %r" % name)
    raw = b64decode(b64)
    if len(raw) != 33 or raw[0] != 1:
        raise Bad("only 32-byte Ed25519 keys (type 0x01)")
    if not re.match(r"[0-9a-f]{8}\Z", kid) or bytes.fromhex(kid) != key_id(name, raw[1:]):
        raise Bad("the key id does not match the key")
    return name, bytes.fromhex(kid), raw[1:]


def parse_note(note):
    """A signed note -> (text, [(name, id, signature)])."""
    if len(note.encode()) > 1 << 16:
        raise Bad("note longer than 64 KiB")
    if any((ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) < 0xa0 for c in note):
        raise Bad("control character in the note")
    split = note.rfind("\n\n")
    if split < 0:
        raise Bad("no blank line before the signatures")
    text, sigs = note[:split + 1], note[split + 2:]
    if not sigs.endswith("\n"):
        raise Bad("the last signature line does not end in a newline")
    out = []
    for line in sigs[:-1].split("\n"):
        if not line.startswith(SIG_DASH):
            raise Bad("a signature line must start with an em dash")
        rest = line[len(SIG_DASH):]
        if " " not in rest:
            raise Bad("a signature line is '\u2014 NAME BASE64'")
        name, b64 = rest.split(" ", 1)
        raw = b64decode(b64)
        if len(raw) < 5:
            raise Bad("a signature is too short")
        out.append((name, raw[:4], raw[4:]))
    if not out:
        raise Bad("no signature")
    return text, out


def parse_checkpoint_text(text):
    """origin, size, root (exactly three lines)."""
    if not text.endswith("\n"):
        raise Bad("not a checkpoint: the text does not end in a newline")
    lines = text[:-1].split("\n")
    if len(lines) != 3:
        raise Bad("not a checkpoint: %d lines, expected 3" % len(lines))
    origin, size, root = lines
    if not is_origin(origin):
        raise Bad("not a checkpoint: bad origin")
    if not re.match(r"(0|[1-9][0-9]*)\Z", size) or int(size) >= 2**64:
        raise Bad("not a checkpoint: bad size")
    raw = b64decode(root)
    if len(raw) != 32:
        raise Bad("not a checkpoint: the root is not 32 bytes")
    return origin, int(size), raw


_verified = {}


def ed25519_ok(pub, message, signature):
    """Checks an Ed25519 signature with `openssl pkeyutl -verify -rawin`."""
    if len(signature) != 64:
        return False
    cache_key = (pub, message, signature)
    if cache_key in _verified:
        return _verified[cache_key]
    der = bytes.fromhex("302a300506032b6570032100") + pub
    with tempfile.TemporaryDirectory() as d:
        paths = {}
        for name, data in (("pub.der", der), ("msg", message), ("sig", signature)):
            paths[name] = os.path.join(d, name)
            with open(paths[name], "wb") as f:
                f.write(data)
        r = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-keyform", "DER",
                            "-inkey", paths["pub.der"], "-rawin", "-in", paths["msg"],
                            "-sigfile", paths["sig"]],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _verified[cache_key] = r.returncode == 0
    return _verified[cache_key]


def check_signed(note_text, sigs, vkey):
    """Signed by vkey? None if yes, else why not."""
    name, kid, pub = parse_vkey(vkey)
    mine = [s for s in sigs if s[0] == name and s[1] == kid]
    if not mine:
        return "no signature by key %s+%s" % (name, kid.hex())
    if any(ed25519_ok(pub, note_text.encode(), s[2]) for s in mine):
        return None
    return ("the signature by key %s+%s does not verify: the note was changed or forged"
            % (name, kid.hex()))


WITNESS_HEADER = "DSR-Checkpoint"
PDF_KEYWORD = b"dsr-log-checkpoint-note:"


def unfold(value):
    return re.sub(r"\r?\n(?=[ \t])", "", value).strip()


def witness_note(data):
    """A checkpoint carried by a mail message or a PDF letter
    (evidence-log.md §11.4): (note, description), or None if `data` is
    neither; Bad if it is one but carries no checkpoint."""
    if data.startswith(b"%PDF-"):
        at = data.find(PDF_KEYWORD)
        if at < 0:
            raise Bad("a PDF without the metadata keyword %s" % PDF_KEYWORD.decode())
        m = re.match(rb"[A-Za-z0-9+/=]*", data[at + len(PDF_KEYWORD):])
        b64 = m.group(0)
        desc = "no later than the letter for post that carries it (witness: the recipient's copy)"
        date = to = None
    else:
        import email.parser
        import email.policy
        end = data.find(b"\r\n\r\n")
        if end < 0:
            end = data.find(b"\n\n")
        if end < 0 or not re.match(rb"[!-9;-~]+:", data):
            return None
        head = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(data[:end + 2])
        value = head.get(WITNESS_HEADER)
        if value is None:
            raise Bad("a mail message without a %s header" % WITNESS_HEADER)
        b64 = re.sub(r"[ \t\r\n]", "", str(value)).encode()
        date, to = head.get("Date"), head.get("To")
        desc = "no later than the message of %s to %s (witness)" % (
            unfold(str(date)) if date is not None else "(no Date header)",
            unfold(str(to)) if to is not None else "(no To header)")
    try:
        note = base64.b64decode(b64, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError) as e:
        raise Bad("its %s value is not the base64 of a note: %s" % (WITNESS_HEADER, e))
    return note, desc, date, to


def read_checkpoint_file(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise Bad("cannot read: %s" % e)
    witness = witness_note(data)
    date = to = None
    if witness is not None:
        note, desc, date, to = witness
    else:
        try:
            note, desc = data.decode("utf-8"), None
        except UnicodeError as e:
            raise Bad("cannot read: %s" % e)
    text, sigs = parse_note(note)
    origin, size, root = parse_checkpoint_text(text)
    return {"note": note, "text": text, "sigs": sigs, "origin": origin, "size": size, "root": root,
            "witness": desc, "dated": witness_dated(date, to, size) if desc else None}


def anchor_lines(externals, n):
    """What the witnesses among `externals` anchor (evidence-log.md §11.4)."""
    out, start = [], 1
    witnesses = sorted((c for c in externals if c.get("witness")), key=lambda c: c["size"])
    for c in witnesses:
        if c["size"] >= start:
            out.append("lines %d-%d: %s (%s)" % (start, c["size"], c["witness"], c["label"]))
            start = c["size"] + 1
    if witnesses and start <= n:
        out.append("lines %d-%d: sender's claim only (no witness given covers them)" % (start, n))
    return out


# ---------------------------------------------------------------------------
# The log (evidence-log.md §6)

def object_status(data_dir, h):
    path = os.path.join(data_dir, "objects", h[:2], h[2:])
    if os.path.islink(path):
        # Never followed: a link to bytes elsewhere is not a stored object.
        return "symlink", None
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        return None, None
    d = hashlib.sha256()
    size = 0
    with f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            d.update(chunk)
            size += len(chunk)
    return d.hexdigest(), size


def check_line_rules(obj, n, state):
    """The header, chain and format-2 rules for line n (1-based)."""
    data, event = obj["data"], obj["event"]
    if n == 1:
        fmt = data.get("format")
        if event != "log_created" or fmt not in (LOG_V1, LOG_V2):
            raise Bad("the first line must be the header (log_created, format %s or %s)" % (LOG_V2, LOG_V1))
        if obj["request"] is not None:
            raise Bad("the header's request must be null")
        if fmt == LOG_V2:
            if not is_origin(data.get("origin")) or set(data) != {"format", "origin"}:
                raise Bad("a format-2 header has data of exactly format and origin")
            state["origin"] = data["origin"]
    elif event == "log_created":
        raise Bad("log_created is allowed only on the first line")
    if obj["seq"] != n - 1:
        raise Bad("seq is %d, expected %d" % (obj["seq"], n - 1))
    if obj["prev"] != state["prev"]:
        raise Bad("prev does not match the hash of the line before")
    if obj["time"] < state["last_time"]:
        raise Bad("time goes backwards")
    purge_shape(event, obj["request"], data)
    seq = n - 1
    if event == "upgraded":
        if state["origin"] is not None:
            raise Bad("upgraded is allowed only once, in a format-1 log")
        if obj["request"] is not None or data.get("format") != LOG_V2:
            raise Bad("an upgraded line has request null and data.format %s" % LOG_V2)
        if not is_origin(data.get("origin")) or set(data) != {"format", "origin"}:
            raise Bad("an upgraded line has data of exactly format and origin")
        state["origin"] = data["origin"]
        state["upgraded_at"] = seq
    elif event == "checkpoint":
        if state["origin"] is None:
            raise Bad("a checkpoint line is allowed only in a format-2 log")
        if (obj["request"] is not None or set(data) != {"key", "note"}
                or not isinstance(data["key"], str) or not isinstance(data["note"], str)):
            raise Bad("a checkpoint line has request null and data of exactly two strings, key and note")
    if "request_prev" in data:
        if obj["request"] is None:
            raise Bad("data.request_prev is allowed only in a line with a request")
        if state["origin"] is None:
            raise Bad("data.request_prev is allowed only in a format-2 log")
        if data["request_prev"] >= seq:
            raise Bad("data.request_prev is not an earlier line")


def check_checkpoint_line(obj, tree, state):
    """A checkpoint line against the tree of the lines before it."""
    data = obj["data"]
    try:
        parse_vkey(data["key"])
        text, sigs = parse_note(data["note"])
        origin, size, root = parse_checkpoint_text(text)
    except Bad as e:
        raise Bad("checkpoint: %s" % e)
    if origin != state["origin"]:
        raise Bad("checkpoint: its origin is not the log's")
    if size != obj["seq"]:
        raise Bad("checkpoint: it covers %d lines, but a checkpoint line covers exactly the lines before it" % size)
    if root != tree.root():
        raise Bad("checkpoint: the %d lines before it have root %s, the checkpoint says %s"
                  % (size, tree.root().hex(), root.hex()))
    if data["key"] not in state["keys"]:
        state["keys"].append(data["key"])
    return {"key": data["key"], "text": text, "sigs": sigs, "size": size}


# ---------------------------------------------------------------------------
# Trusted time: RFC 3161 timestamp tokens (evidence-log.md §13)

OID_SHA256 = bytes.fromhex("608648016503040201")
OID_SIGNED_DATA = bytes.fromhex("2a864886f70d010702")
OID_TST_INFO = bytes.fromhex("2a864886f70d0109100104")


def der_items(b):
    """The TLVs of DER bytes b, as (tag, value) pairs (single-byte tags, definite lengths)."""
    out, i = [], 0
    while i < len(b):
        if i + 2 > len(b):
            raise Bad("truncated DER")
        tag, first = b[i], b[i + 1]
        i += 2
        if tag & 0x1F == 0x1F:
            raise Bad("a multi-byte DER tag")
        if first < 0x80:
            length = first
        else:
            k = first & 0x7F
            if k == 0 or k > 4 or i + k > len(b):
                raise Bad("a bad DER length")
            length = int.from_bytes(b[i:i + k], "big")
            i += k
        if i + length > len(b):
            raise Bad("truncated DER")
        out.append((tag, b[i:i + length]))
        i += length
    return out


def der_one(b, tag, what):
    items = der_items(b)
    if len(items) != 1 or items[0][0] != tag:
        raise Bad("%s is not the expected DER" % what)
    return items[0][1]


def parse_token(der):
    """(sha256?, imprint, genTime string) of a DER TimeStampToken."""
    ci = der_items(der_one(der, 0x30, "the token"))
    if len(ci) < 2 or ci[0] != (0x06, OID_SIGNED_DATA) or ci[1][0] != 0xA0:
        raise Bad("the token is not CMS signedData")
    sd = der_items(der_one(ci[1][1], 0x30, "SignedData"))
    if len(sd) < 3 or sd[2][0] != 0x30:
        raise Bad("SignedData has no encapContentInfo")
    encap = der_items(sd[2][1])
    if len(encap) != 2 or encap[0] != (0x06, OID_TST_INFO) or encap[1][0] != 0xA0:
        raise Bad("the token does not carry a TSTInfo")
    tst = der_items(der_one(der_one(encap[1][1], 0x04, "eContent"), 0x30, "TSTInfo"))
    if len(tst) < 5 or tst[2][0] != 0x30 or tst[4][0] != 0x18:
        raise Bad("TSTInfo is not the expected DER")
    imprint = der_items(tst[2][1])
    alg = der_items(imprint[0][1])
    return alg[0] == (0x06, OID_SHA256), imprint[1][1], tst[4][1].decode("ascii", "replace")


def rfc3339_of_gentime(g):
    """GeneralizedTime YYYYMMDDHHMMSS[.f]Z as dsr writes it (fraction in 3, 6 or 9 digits, none if zero)."""
    m = re.fullmatch(r"(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.(\d+))?Z", g)
    if not m:
        raise Bad("genTime %r is not YYYYMMDDHHMMSS[.f]Z" % g)
    base = "%s-%s-%sT%s:%s:%s" % m.groups()[:6]
    datetime.strptime(base, "%Y-%m-%dT%H:%M:%S")
    nanos = int(((m.group(7) or "") + "000000000")[:9])
    if nanos == 0:
        return base + "Z"
    if nanos % 1000000 == 0:
        return base + ".%03dZ" % (nanos // 1000000)
    if nanos % 1000 == 0:
        return base + ".%06dZ" % (nanos // 1000)
    return base + ".%09dZ" % nanos


def openssl_ts_verify(note, der, tsa_cas):
    """None if `openssl ts -verify` accepts token `der` over `note` (bytes) with one of the CA files,
    else the reasons."""
    with tempfile.TemporaryDirectory() as t:
        data, token = os.path.join(t, "checkpoint.txt"), os.path.join(t, "token.tst")
        with open(data, "wb") as f:
            f.write(note)
        with open(token, "wb") as f:
            f.write(der)
        errors = []
        for ca in tsa_cas:
            r = subprocess.run(["openssl", "ts", "-verify", "-data", data, "-in", token, "-token_in",
                                "-CAfile", ca], capture_output=True)
            if r.returncode == 0:
                return None
            errors.append("%s: %s" % (ca, r.stderr.decode(errors="replace").strip().splitlines()[-1:]))
        return "; ".join(errors)


def check_timestamp_line(data_dir, obj, notes, tsa_cas):
    """A timestamped line's anchor (covers, time, source), or raises Bad."""
    d = obj["data"]
    cp = d.get("checkpoint") if isinstance(d.get("checkpoint"), dict) else {}
    seq = cp.get("seq")
    if not is_uint(seq):
        raise Bad("a timestamped line without data.checkpoint.seq")
    if seq not in notes:
        raise Bad("names checkpoint line %d (seq %d), which is no earlier checkpoint line" % (seq + 1, seq))
    note, size = notes[seq]
    refs = [o for o in d.get("objects", []) if o.get("role") == "timestamp_token"]
    if not refs:
        raise Bad("names no timestamp_token object")
    h = refs[0]["sha256"]
    opath = os.path.join(data_dir, "objects", h[:2], h[2:])
    try:
        with open(opath, "rb") as f:
            der = f.read()
    except OSError as e:
        raise Bad("its token object %s: %s" % (h, e.strerror))
    if hashlib.sha256(der).hexdigest() != h:
        raise Bad("its token object %s was changed" % h)
    is_sha256, imprint, gen = parse_token(der)
    when = rfc3339_of_gentime(gen)
    if not is_sha256 or imprint != hashlib.sha256(note.encode()).digest():
        raise Bad("the token of %s is not over checkpoint line %d (seq %d) as the log holds it now: the lines "
                  "before it were rewritten after %s" % (d.get("tsa"), seq + 1, seq, when[:19] + "Z"))
    logged = d.get("gen_time")
    if logged != when:
        raise Bad("data.gen_time %r is not the token's genTime %s" % (logged, when))
    if tsa_cas:
        # The token's CMS signature and the TSA certificate's chain: openssl ts -verify.
        with tempfile.TemporaryDirectory() as t:
            data = os.path.join(t, "checkpoint.txt")
            with open(data, "wb") as f:
                f.write(note.encode())
            errors = []
            for ca in tsa_cas:
                r = subprocess.run(["openssl", "ts", "-verify", "-data", data, "-in", opath, "-token_in",
                                    "-CAfile", ca], capture_output=True)
                if r.returncode == 0:
                    break
                errors.append("%s: %s" % (ca, r.stderr.decode(errors="replace").strip().splitlines()[-1:]))
            else:
                raise Bad("openssl ts -verify refuses its token: %s" % "; ".join(errors))
    return (size, when, "timestamp by %s" % d.get("tsa"))


def earliest_key(a, anchors):
    """The order of anchors (evidence-log.md §13.2): the earlier time; on a tie a timestamp
    before a witness; then the one given first (timestamps in log order, then witnesses)."""
    m = re.fullmatch(r"(.{19})(?:\.(\d+))?Z", a[1])
    nanos = int(((m.group(2) or "") + "000000000")[:9])
    return (m.group(1), nanos, a[2].startswith("witness:"), anchors.index(a))


def witness_dated(date, to, size):
    """The anchor (size, time, source) of a mail witness whose Date parses (RFC 5322), else None."""
    import email.utils
    if date is None:
        return None
    value = unfold(str(date))
    v = re.sub(r"\s*\([^()]*\)\s*$", "", value)
    try:
        t = email.utils.parsedate_to_datetime(v)
    except (TypeError, ValueError, IndexError):
        return None
    if t is None:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    when = t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (size, when, "witness: the message of %s to %s" % (value, unfold(str(to)) if to is not None else "(no To header)"))


def existed(n, anchors):
    """Per range of lines, the earliest anchor covering them: [(first, last, anchor or None)], 1-based."""
    out, start = [], 0
    for size in sorted({a[0] for a in anchors if a[0] > 0}):
        size = min(size, n)
        if size <= start:
            continue
        best = min((a for a in anchors if a[0] >= size), key=lambda a: earliest_key(a, anchors))
        if out and out[-1][2] == best:
            out[-1] = (out[-1][0], size, best)
        else:
            out.append((start + 1, size, best))
        start = size
    if start < n:
        out.append((start + 1, n, None))
    return out


def verify_log(data_dir, check_objects, head, checkpoint_files, vkey, tsa_cas=()):
    path = os.path.join(data_dir, "log.jsonl")
    if not os.path.isfile(path):
        print("no evidence log at %s" % path)
        return 2
    externals = []
    for f in checkpoint_files:
        try:
            c = read_checkpoint_file(f)
        except Bad as e:
            print("checkpoint %s: not a signed checkpoint: %s" % (f, e))
            return 2
        c["label"] = f
        externals.append(c)
    externals.sort(key=lambda c: c["size"])
    state = {"prev": ZERO, "last_time": "", "origin": None, "upgraded_at": None, "keys": []}
    tree = Range()
    n = 0
    pending, intact, purged_named = {}, {}, set()
    namers, last_purge, purged_at, restored = {}, {}, {}, {}
    last_cp, count, covered, next_ext, extends = None, 0, 0, 0, []
    notes, anchors = {}, []
    with open(path, "rb") as f:
        while True:
            while next_ext < len(externals) and externals[next_ext]["size"] == tree.size:
                c = externals[next_ext]
                if c["origin"] != state["origin"]:
                    print("checkpoint %s: it is of log %r, not of this one (line %d)" % (c["label"], c["origin"], c["size"]))
                    return 4
                if c["root"] != tree.root():
                    print("checkpoint %s: the first %d lines have root %s, the checkpoint says %s: "
                          "a line at or before line %d was changed, removed, inserted or reordered since it was signed "
                          "(line %d)" % (c["label"], c["size"], tree.root().hex(), c["root"].hex(), c["size"], c["size"]))
                    return 4
                extends.append((c["label"], c["size"]))
                next_ext += 1
            raw = f.readline(MAX_LINE + 2)
            if not raw:
                break
            n += 1
            try:
                if not raw.endswith(b"\n"):
                    if len(raw) > MAX_LINE:
                        raise Bad("line longer than %d bytes" % MAX_LINE)
                    raise Bad("incomplete line (no newline at the end)")
                raw = raw[:-1]
                obj = parse_line(raw)
                check_line_rules(obj, n, state)
                if obj["event"] == "checkpoint":
                    last_cp = check_checkpoint_line(obj, tree, state)
                    last_cp["line"] = n
                    count += 1
                    covered = last_cp["size"]
                    notes[n - 1] = (obj["data"]["note"], last_cp["size"])
                if obj["event"] == "timestamped":
                    anchors.append(check_timestamp_line(data_dir, obj, notes, tsa_cas))
            except Bad as e:
                print("line %d: %s" % (n, e))
                return 4
            state["prev"], state["last_time"] = hashlib.sha256(raw).hexdigest(), obj["time"]
            tree.append(leaf_hash(raw))
            if check_objects:
                for o in obj["data"].get("objects", []):
                    h = o["sha256"]
                    if h in intact:
                        restored.pop(h, None)
                        actual, size = h, intact[h]
                    else:
                        actual, size = object_status(data_dir, h)
                    if actual is None:
                        # Section 5: who named the missing object, and when.
                        namers.setdefault(h, {})[obj["request"]] = n
                        pending.setdefault(h, n)
                        continue
                    restored.pop(h, None)  # named again: stored again
                    if actual == "symlink":
                        print("object %s: a symbolic link, not a stored file (line %d)" % (h, n))
                        return 4
                    if actual != h:
                        print("object %s: altered (line %d)" % (h, n))
                        return 4
                    intact[h] = size
                    if size != o["size"]:
                        print("object %s: size differs from the line (line %d)" % (h, n))
                        return 4
                if obj["event"] == "purged":
                    req = obj["request"]
                    for h in obj["data"]["purged"]:
                        why = purge_claim(data_dir, h, n, req, namers, last_purge, pending, purged_at,
                                          purged_named, restored)
                        if why:
                            print("line %d: %s" % (n, why))
                            return 4
                    last_purge[req] = n
    if n == 0:
        print("line 1: the log is empty")
        return 4
    if next_ext < len(externals):
        c = externals[next_ext]
        print("checkpoint %s: it covers %d lines, but the log has only %d: lines %d to %d were removed "
              "(the log was truncated) since it was signed (line %d)" % (c["label"], c["size"], n, n + 1, c["size"], n))
        return 4
    if head is not None and head != state["prev"]:
        print("line %d: the last line's hash is %s, expected head %s" % (n, state["prev"], head))
        return 4
    signed_by = None
    if last_cp is not None:
        key = vkey or last_cp["key"]
        try:
            why = check_signed(last_cp["text"], last_cp["sigs"], key)
        except Bad as e:
            why = str(e)
        if why:
            print("line %d: checkpoint: %s" % (last_cp["line"], why))
            return 4
        signed_by = parse_and_normalize(key)
    for c in externals:
        keys = [vkey] if vkey else state["keys"]
        whys = [check_signed(c["text"], c["sigs"], k) for k in keys]
        if not keys or all(whys):
            why = whys[0] if vkey else "it is not signed by any key the log's checkpoints name; pass --key with the published key"
            print("checkpoint %s: %s (line %d)" % (c["label"], why, c["size"]))
            return 4
    if pending:
        h, line = min(pending.items(), key=lambda kv: kv[1])
        if purged_at.get(h, line) < line:
            print("object %s: missing: the purge that lists it (line %d) comes before this line names it (line %d)"
                  % (h, purged_at[h], line))
        else:
            print("object %s: missing (line %d)" % (h, line))
        return 4
    summary(n, state, tree, check_objects, intact, purged_named, count, covered, signed_by, extends)
    for line in anchor_lines(externals, n):
        print(line)
    for h, line in sorted(restored.items(), key=lambda kv: (kv[1], kv[0])):
        print("restored after purge: object %s is listed as purged on line %d but is in the store (from a backup, "
              "or a purge cut off before deleting it)" % (h, line))
    anchors = anchors + [c["dated"] for c in externals if c.get("dated")]
    for first, last, a in existed(n, anchors):
        says = "no later than %s (%s)" % (a[1], a[2]) if a else "sender's claim only"
        print("existed: lines %d-%d: %s" % (first, last, says))
    return 0


def purge_claim(data_dir, h, n, req, namers, last_purge, pending, purged_at, purged_named, restored):
    """Section 5: a purged line n of request req lists h. Returns what is wrong, or None."""
    if os.path.lexists(os.path.join(data_dir, "objects", h[:2], h[2:])):
        restored[h] = n
        return None
    named = namers.get(h, {})
    if req not in named:
        return ("it lists object %s as purged, but no earlier line of request %s names it: "
                "a purge deletes only its own request's objects" % (h, req))
    for other, line in named.items():
        if other != req and (other is None or last_purge.get(other, 0) < line):
            who = "a line without a request" if other is None else "request %s" % other
            return ("it lists object %s as purged, but %s still names it (line %d) and was not purged after that: "
                    "an object shared by two requests is deleted only when both are purged" % (h, who, line))
    if pending.pop(h, None) is not None:
        purged_named.add(h)
    purged_at[h] = n
    return None


def parse_and_normalize(vkey):
    """The key as dsr prints it (NAME+ID+BASE64)."""
    name, kid, pub = parse_vkey(vkey)
    return "%s+%s+%s" % (name, kid.hex(), base64.b64encode(b"\x01" + pub).decode())


def summary(n, state, tree, check_objects, intact, purged_named, count, covered, signed_by, extends):
    first = "ok: %d lines, head %s" % (n, state["prev"])
    if check_objects:
        first += "; objects: %d intact, %d purged" % (len(intact), len(purged_named))
    print(first)
    if state["origin"] is not None:
        print("tree: root %s of %d lines (format 2, origin %s)" % (tree.root().hex(), n, state["origin"]))
    else:
        print("tree: root %s of %d lines (format 1: no checkpoints)" % (tree.root().hex(), n))
    if count:
        print("checkpoints: %d; the last, line %d, covers lines 1-%d and is signed by %s (fingerprint %s)"
              % (count, covered + 1, covered, signed_by, hashlib.sha256(signed_by.encode()).hexdigest()))
    elif state["origin"] is not None:
        print("checkpoints: none")
    start = covered + 2 if count else 1
    if start <= n:
        print("not covered by a signed checkpoint: lines %d-%d (they rest on the log's own word until one covers them)"
              % (start, n))
    for label, size in extends:
        print("extends checkpoint %s: lines 1-%d are as it signed them" % (label, size))


# ---------------------------------------------------------------------------
# Proof documents (evidence-log.md §12)

def verify_proof_doc(path, vkey, checkpoint_file):
    try:
        with open(path, "rb") as f:
            doc = strict_json(f.read().decode("utf-8"))
        if doc.get("format") != INCLUSION_FORMAT:
            raise Bad("format is not %s" % INCLUSION_FORMAT)
        size, root = doc["tree"]["size"], unhex32(doc["tree"]["root"], "tree.root")
        if doc.get("checkpoint") is not None:
            text, sigs = parse_note(doc["checkpoint"])
            origin, csize, croot = parse_checkpoint_text(text)
            if (csize, croot) != (size, root):
                raise Bad("the checkpoint is not of the tree given")
            why = check_signed(text, sigs, vkey or doc["key"])
            if why:
                raise Bad("checkpoint: %s" % why)
        elif checkpoint_file is None:
            print("note: the proofs are against an unsigned tree")
        if checkpoint_file is not None:
            c = read_checkpoint_file(checkpoint_file)
            if (c["size"], c["root"]) != (size, root):
                raise Bad("--checkpoint %s is of another tree" % checkpoint_file)
            why = check_signed(c["text"], c["sigs"], vkey or doc.get("key") or "")
            if why:
                raise Bad("--checkpoint %s: %s" % (checkpoint_file, why))
        for i, l in enumerate(doc["lines"]):
            raw = l["line"].encode("utf-8")
            obj = parse_line(raw)
            if obj["seq"] != l["seq"] or obj["request"] != doc["request"]:
                raise Bad("lines[%d]: not line seq %d of request %s" % (i, l["seq"], doc["request"]))
            proof = [unhex32(h, "proof hash") for h in l["proof"]]
            why = verify_inclusion(l["seq"], size, leaf_hash(raw), proof, root)
            if why:
                raise Bad("lines[%d] (seq %d): %s" % (i, l["seq"], why))
    except (Bad, KeyError, TypeError, ValueError) as e:
        print("%s: %s" % (path, e))
        return 4
    print("ok: %d lines of request %s are in the tree of %d lines (root %s)"
          % (len(doc["lines"]), doc["request"], size, root.hex()))
    return 0


def verify_consistency_doc(old_path, new_path, proof_path, vkey):
    try:
        old, new = read_checkpoint_file(old_path), read_checkpoint_file(new_path)
        with open(proof_path, "rb") as f:
            doc = strict_json(f.read().decode("utf-8"))
        if doc.get("format") != CONSISTENCY_FORMAT:
            raise Bad("format is not %s" % CONSISTENCY_FORMAT)
        if vkey is None:
            raise Bad("give --key: the checkpoints' signatures are what make the proof mean anything")
        for label, c in ((old_path, old), (new_path, new)):
            why = check_signed(c["text"], c["sigs"], vkey)
            if why:
                raise Bad("%s: %s" % (label, why))
        if old["origin"] != new["origin"]:
            raise Bad("the checkpoints are of different logs")
        if (doc["old"]["size"], doc["new"]["size"]) != (old["size"], new["size"]):
            raise Bad("the proof is for other sizes")
        proof = [unhex32(h, "proof hash") for h in doc["proof"]]
        why = verify_consistency(old["size"], new["size"], proof, old["root"], new["root"])
        if why:
            raise Bad(why)
    except (Bad, KeyError, TypeError, ValueError) as e:
        print("%s: %s" % (proof_path, e))
        return 4
    print("ok: the log of %d lines (%s) extends the log of %d lines (%s)"
          % (new["size"], new_path, old["size"], old_path))
    return 0


# ---------------------------------------------------------------------------
# Bundles (evidence-bundle.md §3)

class BundleBad(Exception):
    def __init__(self, file, problem):
        Exception.__init__(self, "%s: %s" % (file, problem))


def parse_sums(data):
    try:
        text = data.decode("utf-8")
    except UnicodeError:
        raise BundleBad("SHA256SUMS", "is not UTF-8 text")
    out = {}
    for i, line in enumerate(text.splitlines()):
        m = re.match(r"([0-9a-f]{64})( |\*| )(.+)\Z", line)
        if not m or line[64:66] not in ("  ", " *"):
            raise BundleBad("SHA256SUMS", "line %d: expected '<sha256>  <file>'" % (i + 1))
        name = line[66:]
        if name in (".", "..") or "/" in name or not name:
            raise BundleBad("SHA256SUMS", "line %d: %r is not a file of the bundle" % (i + 1, name))
        if name in out:
            raise BundleBad("SHA256SUMS", "line %d: %s is listed twice" % (i + 1, name))
        out[name] = m.group(1)
    return out


def bundle_files(d):
    files = {}
    for name in sorted(os.listdir(d)):
        p = os.path.join(d, name)
        if os.path.islink(p) or not os.path.isfile(p):
            raise BundleBad(name, "is not a regular file; a bundle holds only files")
        with open(p, "rb") as f:
            b = f.read()
        files[name] = (hashlib.sha256(b).hexdigest(), len(b), b)
    return files


def files_layer(files, sums, listed):
    for name, (h, size, _) in files.items():
        if name in ("SHA256SUMS", "manifest.json"):
            continue
        s, m = sums.get(name), listed.get(name)
        if s is None and m is None:
            raise BundleBad(name, "not listed in manifest.json or SHA256SUMS: it was added after export")
        if s is not None and m is not None and s != h and (m["sha256"] != h or m["size"] != size):
            raise BundleBad(name, "changed: its SHA-256 is %s, the bundle lists %s" % (h, s))
    for name in sorted(set(listed) | set(sums)):
        if name not in files:
            raise BundleBad(name, "missing: the bundle lists it")
    for name, (h, size, _) in files.items():
        if name in ("SHA256SUMS", "manifest.json"):
            continue
        if sums.get(name) != h:
            raise BundleBad("SHA256SUMS", "its entry for %s does not match the file" % name)
        m = listed.get(name)
        if m is None or m["sha256"] != h or m["size"] != size:
            raise BundleBad("manifest.json", "its entry for %s does not match the file" % name)


def jsonl(name, data):
    """The lines of a bundle .jsonl file: [(number, bytes, parsed)]."""
    if data and not data.endswith(b"\n"):
        raise BundleBad(name, "the last line has no final newline")
    out = []
    for i, raw in enumerate(data.split(b"\n")[:-1] if data else []):
        try:
            obj = parse_line(raw)
            purge_shape(obj["event"], obj["request"], obj["data"])
        except Bad as e:
            raise BundleBad(name, "line %d: %s" % (i + 1, e))
        out.append((i + 1, raw, obj))
    return out


def check_objects(files, listed, lines):
    by_hash = {o["sha256"]: o for o in listed}
    purged = set(h for _, _, l in lines for h in l["data"].get("purged", []))
    present = gone = 0
    seen = set()
    for _, _, l in lines:
        for o in l["data"].get("objects", []):
            if o["sha256"] in seen:
                continue
            seen.add(o["sha256"])
            m = by_hash.get(o["sha256"])
            if m is None:
                raise BundleBad("manifest.json", "object %s (named by seq %d) is not listed" % (o["sha256"], l["seq"]))
            if m["file"] is not None:
                f = files.get(m["file"])
                if f is None:
                    raise BundleBad(m["file"], "missing")
                if f[0] != o["sha256"] or f[1] != o["size"]:
                    raise BundleBad(m["file"], "is not object %s of %d bytes named by seq %d"
                                    % (o["sha256"], o["size"], l["seq"]))
                present += 1
            elif o["sha256"] in purged:
                gone += 1
            else:
                raise BundleBad("manifest.json", "object %s (named by seq %d) is neither in the bundle nor purged"
                                % (o["sha256"], l["seq"]))
    if len(listed) != len(seen):
        raise BundleBad("manifest.json", "lists objects that no exported line names")
    return present, gone


def verify_bundle(d, checkpoint_file, vkey, head, tsa_cas=()):
    if not os.path.isdir(d):
        print("%s: not a directory" % d)
        return 2
    given = None
    if checkpoint_file is not None:
        try:
            given = read_checkpoint_file(checkpoint_file)
        except Bad as e:
            print("%s: not a signed checkpoint: %s" % (checkpoint_file, e))
            return 2
    try:
        files = bundle_files(d)
        if "SHA256SUMS" not in files:
            raise BundleBad("SHA256SUMS", "missing")
        sums = parse_sums(files["SHA256SUMS"][2])
        if "manifest.json" not in files:
            raise BundleBad("manifest.json", "missing")
        if sums.get("manifest.json") != files["manifest.json"][0]:
            raise BundleBad("manifest.json", "its SHA-256 differs from its entry in SHA256SUMS: one of the two was changed")
        try:
            manifest = strict_json(files["manifest.json"][2].decode("utf-8"))
        except (Bad, UnicodeError, ValueError) as e:
            raise BundleBad("manifest.json", "does not parse: %s" % e)
        fmt = manifest.get("format") if isinstance(manifest, dict) else None
        listed = {f["path"]: f for f in manifest.get("files", [])}
        files_layer(files, sums, listed)
        if fmt == BUNDLE_V2:
            if head is not None:
                raise BundleBad("--head", "is for bundles of format 1 (chain.txt); a bundle of format 2 is checked "
                                "against a checkpoint: give --checkpoint FILE")
            out = bundle_v2(files, manifest, given, checkpoint_file, vkey, tsa_cas)
        elif fmt == BUNDLE_V1:
            out = bundle_v1(files, manifest, head)
        else:
            raise BundleBad("manifest.json", "format %r is not %s or %s" % (fmt, BUNDLE_V2, BUNDLE_V1))
    except BundleBad as e:
        print(e)
        return 4
    except (KeyError, TypeError, ValueError) as e:
        print("manifest.json: does not have the shape of a bundle manifest: %r" % (e,))
        return 4
    for line in out:
        print(line)
    return 0


def bundle_v2(files, manifest, given, given_label, vkey, tsa_cas=()):
    def data(name):
        if name not in files:
            raise BundleBad(name, "missing")
        return files[name][2]

    tree_size = manifest["tree"]["size"]
    tree_root = unhex32(manifest["tree"]["root"], "tree.root")
    try:
        proofs = strict_json(data("proofs.json").decode("utf-8"))
    except (Bad, UnicodeError, ValueError) as e:
        raise BundleBad("proofs.json", "does not parse: %s" % e)
    if proofs.get("format") != PROOFS_FORMAT:
        raise BundleBad("proofs.json", "format is not %s" % PROOFS_FORMAT)
    if proofs["tree"] != manifest["tree"]:
        raise BundleBad("proofs.json", "its tree is not the manifest's")

    context = jsonl("log-context.jsonl", data("log-context.jsonl"))
    if not context or context[0][2]["seq"] != 0 or context[0][2]["event"] != "log_created":
        raise BundleBad("log-context.jsonl", "line 1 must be the log's header (seq 0, log_created)")
    header = context[0][2]["data"]
    if header.get("format") == LOG_V2 and len(context) == 1:
        origin, boundary = header.get("origin"), 0
    elif header.get("format") == LOG_V1 and len(context) == 1:
        origin, boundary = None, float("inf")
    elif (header.get("format") == LOG_V1 and len(context) == 2 and context[1][2]["event"] == "upgraded"
          and context[1][2]["data"].get("format") == LOG_V2):
        origin, boundary = context[1][2]["data"].get("origin"), context[1][2]["seq"]
    else:
        raise BundleBad("log-context.jsonl", "expected the log's header line and, for a format-1 log, its upgraded line")
    if [{"seq": l["seq"], "sha256": hashlib.sha256(b).hexdigest()} for _, b, l in context] != manifest["context"]:
        raise BundleBad("manifest.json", "its list of context lines differs from log-context.jsonl")

    key = vkey
    signed_by = None
    cp = manifest.get("checkpoint")
    if cp is not None:
        try:
            named = parse_and_normalize(cp["key"])
        except Bad as e:
            raise BundleBad("manifest.json", "checkpoint.key: %s" % e)
        key = key or named
        try:
            text, sigs = parse_note(data(cp["file"]).decode("utf-8"))
            c_origin, c_size, c_root = parse_checkpoint_text(text)
        except (Bad, UnicodeError) as e:
            raise BundleBad(cp["file"], str(e))
        why = check_signed(text, sigs, key)
        if why:
            raise BundleBad(cp["file"], why)
        if c_origin != origin or c_origin != cp["origin"]:
            raise BundleBad(cp["file"], "its origin is not the log's")
        if c_size != tree_size or c_root != tree_root:
            raise BundleBad(cp["file"], "it signs %d lines with root %s, not the manifest's tree" % (c_size, c_root.hex()))
        signed_by = parse_and_normalize(key)

    lines = jsonl("log-lines.jsonl", data("log-lines.jsonl"))
    prev = None
    for number, raw, l in lines:
        at = "line %d (seq %d): " % (number, l["seq"])
        if l["request"] != manifest["request"]:
            raise BundleBad("log-lines.jsonl", at + "belongs to request %r, not %s" % (l["request"], manifest["request"]))
        if prev is not None and l["seq"] <= prev["seq"]:
            raise BundleBad("log-lines.jsonl", at + "does not follow seq %d" % prev["seq"])
        if prev is not None and l["time"] < prev["time"]:
            raise BundleBad("log-lines.jsonl", at + "its time is before the line before's")
        if l["seq"] >= tree_size:
            raise BundleBad("log-lines.jsonl", at + "is not in the tree of %d lines" % tree_size)
        prev = l
    if [{"seq": l["seq"], "sha256": hashlib.sha256(b).hexdigest()} for _, b, l in lines] != manifest["lines"]:
        raise BundleBad("manifest.json", "its list of lines differs from log-lines.jsonl")

    by_seq = {}
    for p in proofs["inclusion"]:
        if p["seq"] in by_seq:
            raise BundleBad("proofs.json", "two inclusion proofs for seq %d" % p["seq"])
        by_seq[p["seq"]] = [unhex32(h, "proof hash") for h in p["proof"]]
    if set(by_seq) != set(l["seq"] for _, _, l in context + lines):
        raise BundleBad("proofs.json", "it must hold one inclusion proof for each line of log-context.jsonl and log-lines.jsonl")
    for name, group in (("log-context.jsonl", context), ("log-lines.jsonl", lines)):
        for number, raw, l in group:
            why = verify_inclusion(l["seq"], tree_size, leaf_hash(raw), by_seq[l["seq"]], tree_root)
            if why:
                raise BundleBad(name, "line %d (seq %d): not in the tree of %d lines (%s): it is not the line the log "
                                "holds at seq %d" % (number, l["seq"], tree_size, why, l["seq"]))

    before = None
    for number, raw, l in lines:
        at = "line %d (seq %d): " % (number, l["seq"])
        if l["seq"] > boundary:
            rp = l["data"].get("request_prev")
            if rp is not None and before is None:
                raise BundleBad("log-lines.jsonl", at + "it follows the request's line seq %d, which the bundle does not "
                                "have: lines were left out" % rp)
            if rp is None and before is not None:
                raise BundleBad("log-lines.jsonl", at + "it names no earlier line of the request, but the bundle has seq "
                                "%d before it" % before)
            if rp is not None and rp != before:
                raise BundleBad("log-lines.jsonl", at + "it follows the request's line seq %d, which the bundle does not "
                                "have (its line before is seq %d): lines were left out" % (rp, before))
        before = l["seq"]

    if not lines:
        raise BundleBad("log-lines.jsonl", "the bundle has no line of the case")
    number, _, first = lines[0]
    if first["event"] != "prepared":
        raise BundleBad("log-lines.jsonl", "line %d (seq %d): a case's first line is its prepared line, not %r"
                        % (number, first["seq"], first["event"]))
    for field in ("company", "policy", "kind", "lang"):
        if first["data"].get(field) != manifest[field]:
            raise BundleBad("manifest.json", "%s is %s, but the case's prepared line (seq %d) says %s"
                            % (field, json.dumps(manifest[field]), first["seq"], json.dumps(first["data"].get(field))))

    present, gone = check_objects(files, manifest["objects"], lines)

    consistency = {}
    for c in proofs["consistency"]:
        consistency[c["size"]] = [unhex32(h, "proof hash") for h in c["proof"]]
    if len(consistency) != len(proofs["consistency"]) or set(consistency) != set(l["size"] for l in manifest["linked"]):
        raise BundleBad("proofs.json", "it must hold one consistency proof for each linked checkpoint of the manifest")
    linked_roots = {}
    for l in manifest["linked"]:
        try:
            text, sigs = parse_note(data(l["file"]).decode("utf-8"))
            l_origin, l_size, l_root = parse_checkpoint_text(text)
        except (Bad, UnicodeError) as e:
            raise BundleBad(l["file"], str(e))
        if key is not None:
            why = check_signed(text, sigs, key)
            if why:
                raise BundleBad(l["file"], why)
        root = unhex32(l["root"], "linked root")
        if l_origin != origin or l_size != l["size"] or l_root != root:
            raise BundleBad(l["file"], "it is not the checkpoint the manifest lists (origin, size or root differ)")
        why = verify_consistency(l["size"], tree_size, consistency[l["size"]], root, tree_root)
        if why:
            raise BundleBad(l["file"], "the bundle's tree does not extend it: %s" % why)
        linked_roots[l["size"]] = (l["file"], root)

    # Timestamp tokens (evidence-bundle.md §4 item 11), each over the tree's checkpoint or a linked one.
    anchors = []
    for t in manifest.get("timestamps", []):
        over_tree = t["checkpoint"] == "checkpoint.txt" and cp is not None and t["size"] == tree_size
        over_linked = any(l["file"] == t["checkpoint"] and l["size"] == t["size"] for l in manifest["linked"])
        if not over_tree and not over_linked:
            raise BundleBad("manifest.json", "timestamps: %s is over %s of %d lines, which is neither the bundle's "
                            "checkpoint nor a linked one of that size" % (t["file"], json.dumps(t["checkpoint"]), t["size"]))
        der, note = data(t["file"]), data(t["checkpoint"])
        try:
            is_sha256, imprint, gen = parse_token(der)
            when = rfc3339_of_gentime(gen)
        except (Bad, IndexError, ValueError) as e:
            raise BundleBad(t["file"], "is not an RFC 3161 timestamp token: %s" % e)
        if not is_sha256 or imprint != hashlib.sha256(note).digest():
            raise BundleBad(t["file"], "it is not a timestamp over %s (its imprint is not the SHA-256 of that "
                            "checkpoint): it was swapped or the checkpoint was changed" % t["checkpoint"])
        if t["gen_time"] != when:
            raise BundleBad("manifest.json", "timestamps: %s has gen_time %s, the token says %s"
                            % (t["file"], json.dumps(t["gen_time"]), when))
        if tsa_cas:
            why = openssl_ts_verify(note, der, tsa_cas)
            if why:
                raise BundleBad(t["file"], "openssl ts -verify refuses the token of %s: %s" % (t["tsa"], why))
        anchors.append((t["size"], when, "timestamp by %s" % t["tsa"]))

    matches = None
    if given is not None:
        at = "--checkpoint %s" % given_label
        k = vkey or key
        if k is None:
            raise BundleBad(at, "no key to check it with: the bundle is unsigned; pass --key with the published key")
        why = check_signed(given["text"], given["sigs"], k)
        if why:
            raise BundleBad(at, why)
        if given["origin"] != origin:
            raise BundleBad(at, "it is of log %r, the bundle of %r" % (given["origin"], origin))
        if given["size"] == tree_size:
            if given["root"] != tree_root:
                raise BundleBad(at, "it signs root %s for %d lines, the bundle's tree has root %s: the bundle's lines "
                                "are not the log it signed" % (given["root"].hex(), given["size"], tree_root.hex()))
        elif given["size"] > tree_size:
            raise BundleBad(at, "it covers %d lines, more than the bundle's tree (%d): export the bundle again to prove "
                            "against it" % (given["size"], tree_size))
        elif given["size"] in linked_roots:
            file, root = linked_roots[given["size"]]
            if root != given["root"]:
                raise BundleBad(at, "it signs root %s for %d lines, the bundle's linked checkpoint %s has root %s: the "
                                "log was rewritten since it was signed" % (given["root"].hex(), given["size"], file, root.hex()))
        else:
            raise BundleBad(at, "the bundle holds no consistency proof from a checkpoint of %d lines: export it again "
                            "with --checkpoint %s" % (given["size"], given_label))
        matches = given_label
        if given.get("dated"):
            anchors.append(given["dated"])

    purged = " (%d purged)" % gone if gone else ""
    out = ["ok: request %s, %d files, %d log lines, %d objects%s"
           % (manifest["request"], len(files), len(lines), present, purged)]
    if signed_by:
        out.append("tree: root %s of %d lines, signed by %s (fingerprint %s)"
                   % (tree_root.hex(), tree_size, signed_by, hashlib.sha256(signed_by.encode()).hexdigest()))
    else:
        out.append("tree: root %s of %d lines, NOT signed: the lines rest on the sender's word unless a checkpoint of "
                   "this tree is given" % (tree_root.hex(), tree_size))
    if manifest["linked"]:
        out.append("linked: %d earlier checkpoint(s), each extended by the tree" % len(manifest["linked"]))
    timestamps = len(manifest.get("timestamps", []))
    if timestamps:
        out.append("timestamps: %d token(s), each over a checkpoint of the tree" % timestamps)
    if matches:
        out.append("checkpoint %s: the bundle's tree is it or extends it" % matches)
    for _, _, l in lines:
        covering = [a for a in anchors if a[0] > l["seq"]]
        if covering:
            a = min(covering, key=lambda a: earliest_key(a, anchors))
            says = "no later than %s (%s)" % (a[1], a[2])
        else:
            says = "sender's claim only"
        out.append("existed: line %d (%s): %s" % (l["seq"] + 1, l["event"], says))
    return out


def bundle_v1(files, manifest, head):
    if "chain.txt" not in files:
        raise BundleBad("chain.txt", "missing")
    text = files["chain.txt"][2].decode("utf-8", "replace")
    if not text.endswith("\n"):
        raise BundleBad("chain.txt", "does not end with a newline")
    chain = []
    for i, line in enumerate(text.splitlines()):
        m = re.match(r"(\d+) ([0-9a-f]{64})\Z", line)
        if not m or int(m.group(1)) != i:
            raise BundleBad("chain.txt", "line %d: expected '%d <sha256>'" % (i + 1, i))
        chain.append(m.group(2))
    last = {"seq": len(chain) - 1, "sha256": chain[-1]}
    if last != manifest["head"]:
        raise BundleBad("chain.txt", "ends in seq %d %s, the manifest's head is another" % (last["seq"], last["sha256"]))
    if head is not None and head != last["sha256"]:
        raise BundleBad("chain.txt", "ends in %s, not in the given head %s" % (last["sha256"], head))
    if "log-lines.jsonl" not in files:
        raise BundleBad("log-lines.jsonl", "missing")
    lines = jsonl("log-lines.jsonl", files["log-lines.jsonl"][2])
    prev = None
    for number, raw, l in lines:
        at = "line %d: " % number
        if l["request"] != manifest["request"]:
            raise BundleBad("log-lines.jsonl", at + "belongs to another request")
        if prev is not None and l["seq"] <= prev:
            raise BundleBad("log-lines.jsonl", at + "seq %d does not follow seq %d" % (l["seq"], prev))
        if l["seq"] >= len(chain):
            raise BundleBad("log-lines.jsonl", at + "seq %d is past the end of chain.txt" % l["seq"])
        if chain[l["seq"]] != hashlib.sha256(raw).hexdigest():
            raise BundleBad("log-lines.jsonl", at + "its SHA-256 is not chain.txt's entry for seq %d" % l["seq"])
        expected = ZERO if l["seq"] == 0 else chain[l["seq"] - 1]
        if l["prev"] != expected:
            raise BundleBad("log-lines.jsonl", at + "prev is not chain.txt's entry for seq %d" % (l["seq"] - 1))
        prev = l["seq"]
    if [{"seq": l["seq"], "sha256": hashlib.sha256(b).hexdigest()} for _, b, l in lines] != manifest["lines"]:
        raise BundleBad("manifest.json", "its list of lines differs from log-lines.jsonl")
    present, gone = check_objects(files, manifest["objects"], lines)
    purged = " (%d purged)" % gone if gone else ""
    return ["ok: request %s, %d files, %d log lines, %d objects%s, head %s (seq %d)"
            % (manifest["request"], len(files), len(lines), present, purged, last["sha256"], last["seq"])]


# ---------------------------------------------------------------------------
# Self-test against the RFC 6962/9162 vectors

def check_vectors(path):
    with open(path) as f:
        v = json.load(f)
    leaves = [leaf_hash(bytes.fromhex(x)) for x in v["tree"]["leaf_inputs_hex"]]
    for i, r in enumerate(v["tree"]["root_by_size"]):
        t = Range()
        for l in leaves[:r["size"]]:
            t.append(l)
        assert t.root().hex() == r["root"], "root at %d" % r["size"]
    roots = {r["size"]: bytes.fromhex(r["root"]) for r in v["tree"]["root_by_size"]}
    n = 0

    def hashes(xs):
        out = [bytes.fromhex(x) for x in xs]
        return out if all(len(x) == 32 for x in out) else None

    for p in v["inclusion_proofs"] + v["derived_all_proofs"]["inclusion"]:
        i, size = p["leaf_index"], p["tree_size"]
        leaf = bytes.fromhex(p["leaf_hash"]) if "leaf_hash" in p else leaves[i]
        root = bytes.fromhex(p["root"]) if "root" in p else roots[size]
        assert verify_inclusion(i, size, leaf, hashes(p["proof"]), root) is None, p
        n += 1
    for p in v["consistency_proofs"] + v["derived_all_proofs"]["consistency"]:
        a, b = p["size1"], p["size2"]
        r1 = bytes.fromhex(p["root1"]) if "root1" in p else roots[a]
        r2 = bytes.fromhex(p["root2"]) if "root2" in p else roots[b]
        assert verify_consistency(a, b, hashes(p["proof"]), r1, r2) is None, p
        n += 1
    for p in v["negative_vectors"]:
        proof = hashes(p["proof"])
        if p["kind"] == "inclusion":
            leaf, root = bytes.fromhex(p["leaf_hash"]), bytes.fromhex(p["root"])
            ok = (proof is not None and len(leaf) == 32 and len(root) == 32
                  and verify_inclusion(p["leaf_index"], p["tree_size"], leaf, proof, root) is None)
        else:
            r1, r2 = bytes.fromhex(p["root1"]), bytes.fromhex(p["root2"])
            ok = (proof is not None and len(r1) == 32 and len(r2) == 32
                  and verify_consistency(p["size1"], p["size2"], proof, r1, r2) is None)
        assert not ok, p
        n += 1
    s = v["signed_note_vector"]
    text, sigs = parse_note(s["signed_note"])
    assert check_signed(text, sigs, s["vkey"]) is None
    assert check_signed(text.replace("example", "exemple"), sigs, s["vkey"]) is not None
    print("ok: %d Merkle vectors and the signed-note vector" % n)
    return 0


def main():
    argv = sys.argv[1:]
    commands = ("log", "bundle", "proof", "consistency", "vectors")
    command = argv.pop(0) if argv and argv[0] in commands else "log"
    p = argparse.ArgumentParser(prog="verify_log.py %s" % command, description=__doc__.split("\n")[0])
    p.add_argument("--key", help="the published verifier key (NAME+ID+BASE64)")
    if command == "log":
        p.add_argument("data_dir")
        p.add_argument("--objects", action="store_true", help="also check every named object")
        p.add_argument("--head", help="the hash the last line must have")
        p.add_argument("--checkpoint", action="append", default=[], help="an earlier signed checkpoint")
        p.add_argument("--tsa-ca", action="append", default=[],
                       help="a PEM CA file of a trusted TSA: every timestamp token must pass openssl ts -verify")
        a = p.parse_args(argv)
        try:
            key = parse_and_normalize(a.key) if a.key else None
        except Bad as e:
            print("--key: %s" % e)
            sys.exit(2)
        sys.exit(verify_log(a.data_dir, a.objects, a.head, a.checkpoint, key, a.tsa_ca))
    if command == "bundle":
        p.add_argument("dir")
        p.add_argument("--checkpoint", help="a checkpoint obtained independently")
        p.add_argument("--head", help="format 1: the head the chain must end in")
        p.add_argument("--tsa-ca", action="append", default=[],
                       help="a PEM CA file of a trusted TSA: every timestamp token must pass openssl ts -verify")
        a = p.parse_args(argv)
        sys.exit(verify_bundle(a.dir, a.checkpoint, a.key, a.head, a.tsa_ca))
    if command == "proof":
        p.add_argument("proof")
        p.add_argument("--checkpoint", help="a checkpoint obtained independently")
        a = p.parse_args(argv)
        sys.exit(verify_proof_doc(a.proof, a.key, a.checkpoint))
    if command == "consistency":
        p.add_argument("old")
        p.add_argument("new")
        p.add_argument("proof")
        a = p.parse_args(argv)
        sys.exit(verify_consistency_doc(a.old, a.new, a.proof, a.key))
    p.add_argument("vectors")
    a = p.parse_args(argv)
    sys.exit(check_vectors(a.vectors))


if __name__ == "__main__":
    main()
