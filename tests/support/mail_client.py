#!/usr/bin/env python3
"""A stand-in for the user's own mail client: sends an outboxed .eml "again"
and writes the copy its Sent folder would keep.

usage: mail_client.py OUTBOXED.eml SENT_COPY.eml --date RFC2822
           [--edit-body OLD NEW] [--drop-attachment NAME] [--new-message-id ID]

It re-encodes the message as a client does (Python's stdlib `email`, the
reader/writer independent of dsr): parsed and written again with a new MIME
boundary, every text part re-encoded as quoted-printable, attachments as
base64 with other line lengths, a new Date header. The Message-ID is kept
unless --new-message-id is given. --edit-body and --drop-attachment change
what the company would read, for the tests of reported differences.
"""
import argparse
import email
from email import policy
from email.generator import BytesGenerator
import io


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outboxed")
    ap.add_argument("copy")
    ap.add_argument("--date", required=True)
    ap.add_argument("--edit-body", nargs=2, metavar=("OLD", "NEW"))
    ap.add_argument("--drop-attachment")
    ap.add_argument("--new-message-id")
    a = ap.parse_args()

    msg = email.message_from_bytes(open(a.outboxed, "rb").read(), policy=policy.default)
    del msg["Date"]
    msg["Date"] = a.date
    if a.new_message_id:
        del msg["Message-ID"]
        msg["Message-ID"] = "<%s>" % a.new_message_id
    # Headers a client adds.
    msg["User-Agent"] = "mail_client.py (dsr test suite)"
    parts = list(msg.iter_parts()) if msg.is_multipart() else [msg]
    kept = []
    for part in parts:
        name = part.get_filename()
        if a.drop_attachment and name == a.drop_attachment:
            continue
        content = part.get_content()
        ctype = part.get_content_type()
        if part.get_content_maintype() == "text":
            if name is None and a.edit_body:
                content = content.replace(a.edit_body[0], a.edit_body[1])
            new = email.message.EmailMessage(policy=policy.default)
            new.set_content(content, subtype=part.get_content_subtype(), charset="utf-8", cte="quoted-printable")
        else:
            new = email.message.EmailMessage(policy=policy.default)
            maintype, subtype = ctype.split("/", 1)
            new.set_content(content, maintype=maintype, subtype=subtype)
        if name is not None:
            new.add_header("Content-Disposition", "attachment", filename=name)
        kept.append(new)
    if msg.is_multipart():
        msg.set_payload(kept)
        msg.set_boundary("client-boundary-0123456789")
    out = io.BytesIO()
    BytesGenerator(out, policy=policy.SMTP).flatten(msg)
    open(a.copy, "wb").write(out.getvalue())


if __name__ == "__main__":
    main()
