#!/usr/bin/env python3
"""Independent verifier for dsr's evidence log (format dsr-evidence-log/1).

Written from docs/evidence-log.md alone, with the Python standard library.

    python3 verify_log.py DATA_DIR [--objects] [--head HASH]

Prints "ok: N lines, head HASH" and exits 0, or prints the first problem
("line N: ..." or "object HASH: ... (line N)") and exits 4. Exit 2 means
bad usage or no log.
"""
import argparse
import hashlib
import json
import os
import re
import sys
from datetime import datetime

FORMAT = "dsr-evidence-log/1"
MAX_LINE = 1 << 20
ZERO = "0" * 64
HEX64 = re.compile(r"[0-9a-f]{64}\Z")
TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")
EVENT = re.compile(r"[a-z][a-z0-9_]{0,63}\Z")
REQUEST = re.compile(r"r_[a-z2-7]{16}\Z")
MEMBERS = {"seq", "time", "event", "request", "data", "prev"}


class Bad(Exception):
    pass


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
    try:
        float(text)
    except OverflowError:
        raise Bad("number out of range")
    return int(text)


def check_strings(value):
    """Lone surrogates (from \\ud800 escapes) are not Unicode text."""
    if isinstance(value, str):
        value.encode("utf-8")
    elif isinstance(value, list):
        for v in value:
            check_strings(v)
    elif isinstance(value, dict):
        for k, v in value.items():
            check_strings(k)
            check_strings(v)


def is_uint(v):
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**64


def parse_line(raw):
    try:
        text = raw.decode("utf-8")
        obj = json.loads(text, object_pairs_hook=no_duplicates,
                         parse_constant=reject_constant, parse_float=finite_float,
                         parse_int=finite_int)
        if "\\u" in text:
            check_strings(obj)
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
    return obj


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


def verify(data_dir, check_objects, head):
    path = os.path.join(data_dir, "log.jsonl")
    if not os.path.isfile(path):
        print("no evidence log at %s" % path)
        return 2
    prev, last_time, n = ZERO, "", 0
    purged, pending, intact, purged_named = set(), {}, {}, set()
    with open(path, "rb") as f:
        while True:
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
                if n == 1:
                    if obj["event"] != "log_created" or obj["data"].get("format") != FORMAT:
                        raise Bad("the first line must be the header (log_created, format %s)" % FORMAT)
                elif obj["event"] == "log_created":
                    raise Bad("log_created is allowed only on the first line")
                if obj["seq"] != n - 1:
                    raise Bad("seq is %d, expected %d" % (obj["seq"], n - 1))
                if obj["prev"] != prev:
                    raise Bad("prev does not match the hash of the line before")
                if obj["time"] < last_time:
                    raise Bad("time goes backwards")
            except Bad as e:
                print("line %d: %s" % (n, e))
                return 4
            prev, last_time = hashlib.sha256(raw).hexdigest(), obj["time"]
            if check_objects:
                for o in obj["data"].get("objects", []):
                    h = o["sha256"]
                    if h in intact:
                        actual, size = h, intact[h]
                    else:
                        actual, size = object_status(data_dir, h)
                    if actual is None:
                        if h in purged:
                            purged_named.add(h)
                        else:
                            pending.setdefault(h, n)
                        continue
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
                for h in obj["data"].get("purged", []):
                    purged.add(h)
                    if pending.pop(h, None) is not None:
                        purged_named.add(h)
    if n == 0:
        print("line 1: the log is empty")
        return 4
    if head is not None and head != prev:
        print("line %d: the last line's hash is %s, expected head %s" % (n, prev, head))
        return 4
    if pending:
        h, line = min(pending.items(), key=lambda kv: kv[1])
        print("object %s: missing (line %d)" % (h, line))
        return 4
    if check_objects:
        print("ok: %d lines, head %s; objects: %d intact, %d purged" % (n, prev, len(intact), len(purged_named)))
    else:
        print("ok: %d lines, head %s" % (n, prev))
    return 0


def main():
    p = argparse.ArgumentParser(description="Verify a dsr evidence log.")
    p.add_argument("data_dir")
    p.add_argument("--objects", action="store_true", help="also check every named object")
    p.add_argument("--head", help="the hash the last line must have")
    a = p.parse_args()
    sys.exit(verify(a.data_dir, a.objects, a.head))


if __name__ == "__main__":
    main()
