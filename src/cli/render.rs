//! `dsr render`: preview a letter and its identity record; nothing is sent
//! or logged.

use super::Ctx;
use super::request_args::RequestArgs;
use crate::Error;
use crate::channel::Channel;
use crate::lang::Lang;
use crate::ops::compose;
use crate::request::Request;
use crate::t;
use std::path::PathBuf;

/// Arguments of `dsr render`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to write to whom.
    #[command(flatten)]
    pub request: RequestArgs,
    /// Write subject.txt, letter.txt and the identity record into this
    /// directory instead of printing them.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write the letter for post to FILE as a PDF (DIN 5008, PDF/A-2b), as
    /// `dsr send --via post` would write it (implies --via post); `-`
    /// writes it to standard output.
    #[arg(long, value_name = "FILE", conflicts_with = "out")]
    pub pdf: Option<PathBuf>,
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    let config = ctx.config()?;
    let catalog = ctx.catalog()?;
    let mut opts = args.request.options()?;
    if args.pdf.is_some() {
        match opts.via {
            None | Some(Channel::Post) => opts.via = Some(Channel::Post),
            Some(other) => {
                return Err(Error::usage(t!("cli.misc.pdf-via", via = other), t!("cli.misc.pdf-via-hint")));
            }
        }
    }
    let req = Request::build(&opts, config, &catalog)?;
    if let (true, Ok(sender)) = (config.example_sender, config.sender()) {
        // The preview works, but the letter is signed by nobody real and
        // `dsr send` will refuse it ([`Config::own_sender`]).
        ctx.out.warn(t!("render.example-sender", name = sender.name));
    }
    let renderer = ctx.renderer()?;
    // A preview: a fixed nonce keeps the output reproducible; the real one
    // is drawn when sending.
    let composed = compose::compose(&req, &renderer, crate::clock::now(), None, [0u8; 32])?;
    if let Some(file) = &args.pdf {
        let (pdf, warnings) = crate::ops::post::letter_pdf(&req, &composed, &renderer, None, "preview", Vec::new())?;
        for w in composed.warnings.iter().chain(&warnings) {
            ctx.out.warn(w);
        }
        if crate::file::is_stdin(file) {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            return out.write_all(&pdf).and_then(|()| out.flush()).map_err(|e| Error::io(t!("cli.io.pdf-stdout"), e));
        }
        let path = ctx.cwd.join(file);
        std::fs::write(&path, &pdf).map_err(|e| Error::io(t!("cli.io.writing", path = path.display()), e))?;
        if ctx.out.json {
            return ctx.out.json(&serde_json::json!({ "pdf": super::output::json_path(&path)?, "bytes": pdf.len(), "deadline": composed.due(), "presumed_receipt": composed.presumed_receipt }));
        }
        ctx.out.line(t!("render.wrote-bytes", file = path.display(), bytes = pdf.len()))?;
        ctx.out.note(t!("render.preview-only"));
        return Ok(());
    }
    for w in &composed.warnings {
        ctx.out.warn(w);
    }
    for n in &req.notes {
        ctx.out.note(t!("send.policy-note", note = n));
    }
    let checklist: Vec<(String, bool, String)> = req
        .policy
        .preconditions_for(req.kind)
        .into_iter()
        .map(|p| {
            (
                p.id.clone(),
                req.confirmed.contains(&p.id),
                p.text(crate::i18n::ui().letter_lang()).or_else(|| p.text(Lang::En)).unwrap_or_default().to_string(),
            )
        })
        .collect();
    if ctx.out.json {
        return ctx.out.json(&serde_json::json!({
            "policy": req.policy.id,
            "kind": req.kind,
            "lang": req.lang,
            "to": req.to,
            "cc": req.cc,
            "subject": composed.letter.subject,
            "letter": composed.letter.body,
            "identity_txt": composed.identity_txt,
            "identity_json": serde_json::from_slice::<serde_json::Value>(&composed.identity_json).unwrap_or_default(),
            "deadline": composed.deadlines.as_ref().map(|d| d.deadline),
            "extended": composed.deadlines.as_ref().map(|d| d.extended),
            "confirm_by": composed.confirm_by,
            "preconditions": checklist.iter().map(|(id, done, text)| serde_json::json!({"id": id, "confirmed": done, "text": text})).collect::<Vec<_>>(),
        }));
    }
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(t!("cli.io.create", path = dir.display()), e))?;
        let files: [(&str, &[u8]); 4] = [
            ("subject.txt", composed.letter.subject.as_bytes()),
            ("letter.txt", composed.letter.body.as_bytes()),
            (crate::identity::TXT_NAME, composed.identity_txt.as_bytes()),
            (crate::identity::JSON_NAME, &composed.identity_json),
        ];
        for (name, bytes) in files {
            let p = dir.join(name);
            std::fs::write(&p, bytes).map_err(|e| Error::io(t!("cli.io.writing", path = p.display()), e))?;
            ctx.out.line(t!("render.wrote", file = p.display()))?;
        }
    } else {
        ctx.out.line(t!("render.preview-to", to = req.to.join(", ")))?;
        if !req.cc.is_empty() {
            ctx.out.line(t!("render.preview-cc", cc = req.cc.join(", ")))?;
        }
        ctx.out.line(t!("render.preview-subject", subject = composed.letter.subject))?;
        ctx.out.line("")?;
        ctx.out.line(composed.letter.body.trim_end())?;
        ctx.out.line("")?;
        ctx.out.line(t!("render.preview-attachment", name = crate::identity::TXT_NAME))?;
        ctx.out.line(composed.identity_txt.trim_end())?;
    }
    if !checklist.is_empty() {
        ctx.out.note("");
        ctx.out.note(t!("render.preconditions"));
        for (id, done, text) in &checklist {
            ctx.out.note(format!("  [{}] {id}: {text}", if *done { "x" } else { " " }));
        }
    }
    ctx.out.note(t!("render.preview-only"));
    Ok(())
}
