#!/usr/bin/env python3
"""Independent reading of a message with Python's stdlib `email` package.

usage: parse_eml.py MESSAGE.eml  ->  one JSON object on stdout:
{defects, subject, from_name, from_address, to: [[name, address]], cc, reply_to,
 message_id, date, in_reply_to, references, body, body_charset,
 attachments: [{filename, content_type, size, sha256}] (a message/rfc822
 part: size and sha256 null, message_subject its Subject), all_crlf, max_line}
Headers are decoded (RFC 2047/2231); the body keeps its line ends as sent.
"""
import email
import hashlib
import json
import sys
from email import policy


def addresses(header):
    if header is None:
        return []
    return [[a.display_name, a.addr_spec] for a in header.addresses]


def attachment(part):
    if part.get_content_type() == "message/rfc822":
        # An attached message is parsed, not decoded: its subject instead
        # of its bytes (size and sha256 are null).
        inner = part.get_payload(0)
        return {"filename": part.get_filename(), "content_type": part.get_content_type(),
                "size": None, "sha256": None, "message_subject": str(inner["Subject"])}
    payload = part.get_payload(decode=True)
    return {"filename": part.get_filename(), "content_type": part.get_content_type(),
            "size": len(payload), "sha256": hashlib.sha256(payload).hexdigest()}


def main():
    raw = open(sys.argv[1], "rb").read()
    msg = email.message_from_bytes(raw, policy=policy.default)
    body = msg.get_body(preferencelist=("plain",))
    lines = raw.split(b"\n")
    out = {
        "defects": [type(d).__name__ for part in msg.walk() for d in part.defects],
        "subject": str(msg["Subject"]),
        "from_name": msg["From"].addresses[0].display_name,
        "from_address": msg["From"].addresses[0].addr_spec,
        "to": addresses(msg["To"]),
        "cc": addresses(msg["Cc"]),
        "reply_to": addresses(msg["Reply-To"]),
        "message_id": str(msg["Message-ID"]),
        "date": msg["Date"].datetime.isoformat(),
        "in_reply_to": str(msg["In-Reply-To"]) if msg["In-Reply-To"] else None,
        "references": str(msg["References"]) if msg["References"] else None,
        "body": body.get_content() if body is not None else None,
        "body_charset": body.get_content_charset() if body is not None else None,
        "attachments": [attachment(part) for part in msg.iter_attachments()],
        "all_crlf": all(line.endswith(b"\r") for line in lines[:-1]),
        "max_line": max(len(line) for line in raw.split(b"\r\n")),
    }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
