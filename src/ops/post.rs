//! Letters that dsr does not send itself: a PDF for post, the text for a
//! web form.
//!
//! Both are written like an email request (the same [`Request`], the same
//! letter and identity record, composed once) and go through the same
//! pipeline ([`deliver`]): every artifact is stored, `prepared` is logged
//! with route `post` or `webform`, then the route writes the files to the
//! outbox and logs `outboxed`. Nothing is "sent" until the user records it
//! with `dsr dispatched` ([`super::dispatched`]).
//!
//! The PDF ([`letter_pdf`], also `dsr render --pdf`) puts the letter on a
//! DIN 5008 page ([`crate::pdf`]): the recipient in the address window, the
//! return line above it, the date, the reference (the request id) and the
//! deadline in the information block (with the presumed day of receipt it
//! is counted from), the letter text from the salutation on (the email
//! letter's head, which names the recipient and the date, is on the page
//! already), then the identity record and every attachment that is an
//! image or text as annexes. A PDF attachment is listed among the
//! enclosures only: its pages cannot be copied into a PDF/A file (krilla's
//! validator refuses foreign PDF content it cannot check), so the user
//! prints and encloses it, and is told so. Every word of it comes from `templates/<lang>/`
//! (`post/*.hbs` and the letter itself).

use crate::Error;
use crate::case::event::{Event, Prepared, role};
use crate::channel::Channel;
use crate::evidence::{Log, ObjectRef, RequestId};
use crate::lang::Lang;
use crate::letter::context::LetterContext;
use crate::letter::{Letter, Renderer, locale};
use crate::mail::{self, MessageId};
use crate::ops::compose::{self, Composed};
use crate::ops::deliver::{self, Env, Files, Parcel, Staged};
use crate::ops::send::SendReport;
use crate::pdf::{self, Annex, AnnexContent};
use crate::request::Request;
use chrono::NaiveDate;
use serde::Serialize;

/// What the `post/*.hbs` templates are rendered from.
#[derive(Debug, Serialize)]
struct PostData<'a> {
    lang: Lang,
    date: NaiveDate,
    reference: Option<&'a str>,
    deadline: Option<NaiveDate>,
    presumed_receipt: Option<NaiveDate>,
    posting_days: u32,
    sender: &'a crate::letter::context::Sender,
    page: usize,
    pages: usize,
    number: usize,
    name: String,
    /// Page `part` of `parts` of an enclosed PDF (`parts` 0: one page only).
    part: usize,
    parts: usize,
}

/// A letter for post as PDF/A-2b bytes, with warnings for the user (an
/// attachment that could not be appended). `reference` is the request id
/// (none for a preview); `letter_id` makes the PDF's document id;
/// `keywords` go into its metadata ([`checkpoint_keywords`]).
///
/// # Errors
/// A template error; an attachment that claims to be a PDF or image but
/// cannot be read; the PDF writer refusing.
pub fn letter_pdf(
    req: &Request,
    composed: &Composed,
    renderer: &Renderer,
    reference: Option<&str>,
    letter_id: &str,
    keywords: Vec<String>,
) -> Result<(Vec<u8>, Vec<String>), Error> {
    let mut annexes: Vec<(String, Vec<u8>)> = vec![
        (crate::identity::TXT_NAME.to_string(), composed.identity_txt.as_bytes().to_vec()),
        (crate::identity::JSON_NAME.to_string(), composed.identity_json.clone()),
    ];
    annexes.extend(
        req.mandate.iter().chain(&req.evidence).chain(&req.attachments).map(|f| (f.name.clone(), f.bytes.clone())),
    );
    pdf_letter(
        renderer,
        &Parts {
            ctx: &composed.context,
            letter: &composed.letter,
            recipient: req.policy.postal_lines(),
            reference,
            deadline: composed.due(),
            presumed_receipt: composed.presumed_receipt,
            posting_days: req.post_days,
            annexes,
            letter_id,
            keywords,
        },
    )
}

/// What a letter for post is made of (an initial request's, a reminder's
/// or a complaint's).
pub struct Parts<'a> {
    /// The letter's context (language, date, sender).
    pub ctx: &'a LetterContext,
    /// The rendered letter.
    pub letter: &'a Letter,
    /// The address field: name and postal address lines.
    pub recipient: Vec<String>,
    /// The reference (request id); none for a preview.
    pub reference: Option<&'a str>,
    /// The date the answer is due, for the information block.
    pub deadline: Option<NaiveDate>,
    /// The day of receipt the deadline assumes, if presumed.
    pub presumed_receipt: Option<NaiveDate>,
    /// The working days of that presumption.
    pub posting_days: u32,
    /// Files to append, by name: `.txt`, `.json`, `.eml` as text; PNG and
    /// JPEG images; PDFs page by page; anything else listed only.
    pub annexes: Vec<(String, Vec<u8>)>,
    /// dsr's id of the letter (the PDF's document id is made from it).
    pub letter_id: &'a str,
    /// Metadata keywords.
    pub keywords: Vec<String>,
}

/// A letter for post as PDF/A-2b bytes, with warnings. See [`Parts`].
///
/// # Errors
/// As [`letter_pdf`].
pub fn pdf_letter(renderer: &Renderer, parts: &Parts<'_>) -> Result<(Vec<u8>, Vec<String>), Error> {
    let ctx = parts.ctx;
    let lang = ctx.lang;
    let data = |page: usize, pages: usize, number: usize, name: &str| PostData {
        lang,
        date: ctx.date,
        reference: parts.reference,
        deadline: parts.deadline,
        presumed_receipt: parts.presumed_receipt,
        posting_days: parts.posting_days,
        sender: &ctx.sender,
        page,
        pages,
        number,
        name: name.to_string(),
        part: 0,
        parts: 0,
    };
    let render = |name: &str, d: &PostData<'_>| renderer.render_template(lang, name, d);
    let return_line = render("post/return-line", &data(0, 0, 0, ""))?.trim().to_string();
    let info: Vec<String> = render("post/info", &data(0, 0, 0, ""))?
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .map(String::from)
        .collect();
    // Any error of the page template shows now, not while the pages are drawn.
    render("post/page", &data(1, 1, 0, ""))?;

    let mut warnings = Vec::new();
    let mut annexes = Vec::new();
    let mut not_appended = Vec::new();
    for (name, bytes) in &parts.annexes {
        let number = annexes.len() + 1;
        let heading = |part: usize, parts: usize| -> Result<String, Error> {
            let d = PostData { number, name: name.clone(), part, parts, ..data(0, 0, 0, "") };
            Ok(render("post/annex", &d)?.trim().to_string())
        };
        let content = match compose::content_type(name) {
            "application/pdf" => {
                let source = pdf::import::Source::open(name, bytes)?;
                let parts = if source.len() > 1 { source.len() } else { 0 };
                let headings = (1..=source.len()).map(|part| heading(part, parts)).collect::<Result<Vec<_>, _>>()?;
                AnnexContent::Pdf { source: Box::new(source), headings }
            }
            "image/png" | "image/jpeg" => AnnexContent::Image(bytes.clone()),
            t if t.starts_with("text/") || t == "application/json" || name.ends_with(".eml") => {
                AnnexContent::Text(String::from_utf8_lossy(bytes).into_owned())
            }
            _ => {
                warnings.push(crate::t!("ops.compose.annex-not-appended", name = name));
                not_appended.push(name.clone());
                continue;
            }
        };
        annexes.push(Annex { heading: heading(0, 0)?, name: name.clone(), content });
    }
    let page_label = |page: usize, pages: usize| {
        render("post/page", &data(page, pages, 0, "")).map(|s| s.trim().to_string()).unwrap_or_default()
    };
    let letter = pdf::Letter {
        lang: lang.code(),
        title: parts.letter.subject.clone(),
        author: ctx.sender.name.clone(),
        date: ctx.date,
        document_id: format!("{}/{}", parts.reference.unwrap_or("preview"), parts.letter_id),
        keywords: parts.keywords.clone(),
        return_line,
        recipient: parts.recipient.clone(),
        info,
        subject: parts.letter.subject.clone(),
        body: mark_not_appended(&strip_head(&parts.letter.body, ctx.date, lang), &not_appended, |name| {
            render("post/not-appended", &data(0, 0, 0, name)).map(|s| s.trim_end().to_string()).map_err(Error::from)
        })?,
        annexes,
        page_label: &page_label,
    };
    Ok((pdf::render(&letter)?, warnings))
}

/// The enclosure list's line of every attachment in `names` (`- name`,
/// the last such line) says that it is not appended, in the words of
/// `post/not-appended`. A user's own letter template without such lines
/// is kept as it is.
fn mark_not_appended(
    body: &str,
    names: &[String],
    line: impl Fn(&str) -> Result<String, Error>,
) -> Result<String, Error> {
    let mut lines: Vec<String> = body.lines().map(String::from).collect();
    for name in names {
        let item = format!("- {name}");
        if let Some(l) = lines.iter_mut().rev().find(|l| l.trim_end() == item) {
            *l = line(name)?;
        }
    }
    let mut out = lines.join("\n");
    if body.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

/// The letter text from the salutation on: the head (recipient, "by
/// email", the date) is dropped, as the page has them in the address field
/// and the information block. A letter whose head does not end in its
/// date line (a user's own template) is kept whole.
pub fn strip_head(body: &str, date: NaiveDate, lang: Lang) -> String {
    let date_line = locale::format_date(date, lang);
    let lines: Vec<&str> = body.lines().collect();
    match lines.iter().take(15).position(|l| l.trim() == date_line) {
        Some(i) => {
            let rest: Vec<&str> = lines[i + 1..].iter().copied().skip_while(|l| l.trim().is_empty()).collect();
            let mut out = rest.join("\n");
            out.push('\n');
            out
        }
        None => body.to_string(),
    }
}

/// The keyword that carries a signed log checkpoint in a letter's
/// metadata: `dsr-log-checkpoint-note:` and the signed note (C2SP
/// tlog-checkpoint, exactly as the log's `checkpoint` line holds it) in
/// standard base64, so that it survives the metadata's one-line,
/// comma-separated keyword list unchanged.
pub const CHECKPOINT_NOTE_KEYWORD: &str = crate::evidence::witness::PDF_KEYWORD;

/// The metadata keywords of a letter for post written now: the log's
/// latest signed checkpoint, which pins every line logged before the
/// letter (its origin, size and root hash in words, and the signed note
/// itself, [`CHECKPOINT_NOTE_KEYWORD`]). None when the log has no
/// checkpoint yet (no signing key); a checkpoint whose signature does not
/// verify against the key its line names is left out, with a warning.
///
/// # Errors
/// The log cannot be read, or its last checkpoint line does not parse.
pub fn checkpoint_keywords(data_dir: &std::path::Path) -> Result<(Vec<String>, Option<String>), Error> {
    use base64::Engine;
    let latest = match witness_checkpoint(data_dir)? {
        Ok(Some(latest)) => latest,
        Ok(None) => return Ok((Vec::new(), None)),
        Err(warning) => {
            return Ok((Vec::new(), Some(crate::t!("ops.post.no-checkpoint", warning = warning))));
        }
    };
    let cp = &latest.note.checkpoint;
    let root = base64::engine::general_purpose::STANDARD.encode(cp.root.as_bytes());
    let note = base64::engine::general_purpose::STANDARD.encode(latest.note.note.as_bytes());
    let keywords = vec![
        format!("dsr-log-checkpoint: {} size {} root {root}", cp.origin.replace(',', "%2C"), cp.size),
        format!("{CHECKPOINT_NOTE_KEYWORD}{note}"),
    ];
    Ok((keywords, None))
}

/// The log's latest signed checkpoint for a witness (a letter's metadata,
/// a mail's `DSR-Checkpoint` header): `Ok(None)` when the log has none
/// (no signing key), `Err(why)` when its signature does not verify against
/// the key its line names (then nothing is carried).
///
/// # Errors
/// The log cannot be read, or its last checkpoint line does not parse.
pub fn witness_checkpoint(
    data_dir: &std::path::Path,
) -> Result<Result<Option<crate::evidence::LoggedCheckpoint>, String>, Error> {
    let Some(latest) = crate::evidence::latest_checkpoint(data_dir)? else { return Ok(Ok(None)) };
    if latest.note.signed.verify(&latest.key).is_err() {
        return Ok(Err(crate::t!("ops.post.checkpoint-unverified", line = latest.seq)));
    }
    Ok(Ok(Some(latest)))
}

/// The files a web form letter is written as: the letter text (subject,
/// blank line, the text from the salutation on) and the identity record.
fn webform_files(composed: &Composed) -> Vec<(&'static str, Vec<u8>)> {
    let ctx = &composed.context;
    let text = format!("{}\n\n{}", composed.letter.subject, strip_head(&composed.letter.body, ctx.date, ctx.lang));
    vec![("-letter.txt", text.into_bytes()), ("-identity-verification.txt", composed.identity_txt.clone().into_bytes())]
}

/// Writes a request for post or a web form: compose, store, log
/// `prepared` (route `post` or `webform`), write the files to the outbox,
/// log `outboxed`. Nothing is sent.
///
/// # Errors
/// Unconfirmed preconditions, a template error, an attachment that cannot
/// be appended (all before anything is stored); the log is locked (5) or
/// damaged (4); the files cannot be written.
pub fn send(req: &Request, env: &Env<'_>, new: &super::send::New<'_>) -> Result<SendReport, Error> {
    req.require_confirmations()?;
    let now = (env.now)();
    let request = RequestId::generate()?;
    let mut nonce = [0u8; 32];
    getrandom::fill(&mut nonce).map_err(|e| mail::Error::Random(e.to_string()))?;
    let composed = compose::compose(req, env.renderer, now, Some(request.as_str()), nonce)?;
    let letter_id = mail::message::generate_message_id(req.sender.email.domain(), &mail::message::random_id_bytes()?)?;
    let mut warnings = composed.warnings.clone();
    let (files, first_role) = match req.channel {
        Channel::Post => {
            let (keywords, warning) = checkpoint_keywords(env.data_dir)?;
            warnings.extend(warning);
            let (pdf, w) =
                letter_pdf(req, &composed, env.renderer, Some(request.as_str()), letter_id.as_str(), keywords)?;
            warnings.extend(w);
            (vec![(".pdf", pdf)], Some(role::PDF))
        }
        Channel::Webform => (webform_files(&composed), None),
        Channel::Email => {
            return Err(Error::usage(crate::t!("ops.post.email-request"), crate::t!("ops.post.email-request-hint")));
        }
    };
    let mut route = deliver::Route::for_channel(env, req.channel)?;
    let mut log = Log::open(env.data_dir)?;
    // The duplicate guard, under the writer's lock.
    let tag = new.tag(req, log.store(), env.data_dir)?.to_bytes()?;
    let store = log.store();
    let mut objects = store_artifacts(store, req, &composed, first_role.map(|r| (r, files[0].1.as_slice())))?;
    objects.push(store.put(&tag)?.with_role(super::guard::TAG));
    deliver::trace_objects(&env.tracer, store, &objects);
    let payload = prepared(req, &composed, &letter_id, objects, route.kind());
    let staged = Staged {
        request: request.clone(),
        before: Event::Prepared(payload),
        message: Parcel::Files(Files { id: letter_id.clone(), files }),
    };
    let delivered = deliver::dispatch_one(&mut route, &mut log, env, staged)?;
    route.close();
    Ok(SendReport::new(req, &composed, request, letter_id, delivered, warnings))
}

/// Stores the artifacts of a letter for post or a web form: the PDF (post),
/// the letter, its context, the identity record, mandate, evidence and
/// attachments.
fn store_artifacts(
    store: &crate::evidence::Store,
    req: &Request,
    composed: &Composed,
    first: Option<(&'static str, &[u8])>,
) -> Result<Vec<ObjectRef>, Error> {
    let letter = super::salt::text(&format!("{}\n\n{}", composed.letter.subject, composed.letter.body))?;
    let context = super::salt::json(&composed.context, true)?;
    let mut all: Vec<(&'static str, &[u8])> = first.into_iter().collect();
    all.extend([
        (role::LETTER, letter.as_slice()),
        (role::CONTEXT, context.as_slice()),
        (role::IDENTITY_TXT, composed.identity_txt.as_bytes()),
        (role::IDENTITY_JSON, composed.identity_json.as_slice()),
    ]);
    all.extend(req.mandate.iter().map(|f| (role::MANDATE, f.bytes.as_slice())));
    all.extend(req.evidence.iter().map(|f| (role::EVIDENCE, f.bytes.as_slice())));
    all.extend(req.attachments.iter().map(|f| (role::ATTACHMENT, f.bytes.as_slice())));
    all.into_iter().map(|(r, b)| Ok(store.put(b)?.with_role(r))).collect()
}

/// The `prepared` event of a letter for post or a web form: no addresses
/// (nothing goes by email), dsr's own id of the letter as `message_id`.
fn prepared(
    req: &Request,
    composed: &Composed,
    letter_id: &MessageId,
    objects: Vec<ObjectRef>,
    route: crate::case::event::Route,
) -> Prepared {
    Prepared {
        kind: req.kind,
        policy: req.policy.id.clone(),
        company: req.policy.entity.legal_name.clone(),
        lang: req.lang,
        calendar: req.calendar,
        to: Vec::new(),
        cc: Vec::new(),
        message_id: letter_id.clone(),
        stated_deadline: composed.deadlines.as_ref().map(|d| d.deadline),
        confirm_by: composed.confirm_by,
        confirmed: req.confirmed.clone(),
        in_reply_to: None,
        authority: None,
        route,
        objects,
        batch_key: None,
        readdresses: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_is_dropped_up_to_the_date_line() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let body = "ACME GmbH\nHauptstr. 1\nper E-Mail: a@b.example\n\n30. November 2026\n\nSehr geehrte Damen und Herren,\n\nText.\n";
        assert_eq!(strip_head(body, d, Lang::De), "Sehr geehrte Damen und Herren,\n\nText.\n");
        let own = "Liebe ACME,\n\nText.\n";
        assert_eq!(strip_head(own, d, Lang::De), own);
    }
}
