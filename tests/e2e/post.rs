//! Tests of the letter for post: the PDF `dsr render --pdf` and `dsr send
//! --via post` write, read back with independent tools — poppler's
//! `pdftotext`, `pdffonts`, `pdfinfo`, `pdftoppm` and `qpdf` (Debian
//! packages `poppler-utils` and `qpdf`, installed by `scripts/test`) — and
//! the way of a post-only company from the Datenanfragen directory through
//! posting, receipt, reminder and complaint.

use crate::support::snapshot::assert_golden;
use crate::support::{TestEnv, repo, sha256_hex};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Millimetres to points.
const MM: f64 = 72.0 / 25.4;

/// The address field of a DIN 5008 Form B letter (x, y, width, height in
/// mm from the top left), where a DL window envelope shows the address.
/// Copied from the standard as commonly quoted, not from dsr's code.
const WINDOW: [f64; 4] = [20.0, 45.0, 85.0, 45.0];

fn setup() -> TestEnv {
    let env = TestEnv::new();
    env.write("dsr.toml", crate::support::TEST_CONFIG);
    env
}

fn tool(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().unwrap_or_else(|e| {
        panic!("{program} is not installed ({e}): run ./scripts/test, which installs poppler-utils and qpdf")
    });
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn dsr_json(env: &TestEnv, now: &str, args: &[&str]) -> Value {
    let out = env.cmd().env("DSR_NOW", now).args(args).arg("--json").output().unwrap();
    assert!(out.status.success(), "dsr {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The example subject, with a postal address for the return line.
fn subject(env: &TestEnv) -> String {
    crate::support::subject_with_address(env)
}

/// The letter text as `dsr render` gives it, from the salutation on (the
/// head — recipient and date — is in the address field and the
/// information block), as non-empty trimmed lines.
fn letter_lines(letter: &str, date_line: &str) -> Vec<String> {
    let lines: Vec<&str> = letter.lines().collect();
    let start = lines.iter().position(|l| l.trim() == date_line).expect("the letter has its date line") + 1;
    lines[start..].iter().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect()
}

/// The text of page `n` within a box (mm), as non-empty trimmed lines.
fn page_text(pdf: &Path, n: usize, y_from: f64, y_to: f64) -> Vec<String> {
    let (y, h) = (((y_from * MM).round() as i64).to_string(), (((y_to - y_from) * MM).round() as i64).to_string());
    let n = n.to_string();
    let text = tool(
        "pdftotext",
        &["-f", &n, "-l", &n, "-x", "0", "-y", &y, "-W", "600", "-H", &h, pdf.to_str().unwrap(), "-"],
    );
    text.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty() && l != "\u{c}").collect()
}

/// Every word of page 1 with its box in mm (xMin, yMin, xMax, yMax).
fn words(pdf: &Path) -> Vec<(String, [f64; 4])> {
    let html = tool("pdftotext", &["-bbox", "-f", "1", "-l", "1", pdf.to_str().unwrap(), "-"]);
    let attr = |line: &str, name: &str| -> f64 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[start..].split('"').next().unwrap().parse::<f64>().unwrap() / MM
    };
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word "))
        .map(|l| {
            let word = l.split('>').nth(1).unwrap().split('<').next().unwrap().replace("&amp;", "&");
            (word, [attr(l, "xMin"), attr(l, "yMin"), attr(l, "xMax"), attr(l, "yMax")])
        })
        .collect()
}

fn inside(b: &[f64; 4], r: [f64; 4]) -> bool {
    b[0] >= r[0] && b[1] >= r[1] && b[2] <= r[0] + r[2] && b[3] <= r[1] + r[3]
}

#[test]
fn the_letter_for_post_is_pdf_a_2b_with_embedded_fonts_its_text_and_the_address_in_the_window() {
    let env = setup();
    let now = "2026-12-02T09:00:00Z";
    // Meta accepts only post and a web form (Datenanfragen: `facebook`).
    let s = subject(&env);
    let args = ["render", "--to", "facebook", "--kind", "erasure", "--lang", "de", "--subject", &s];
    let mut with_pdf = args.to_vec();
    with_pdf.extend(["--pdf", "letter.pdf"]);
    dsr_json(&env, now, &with_pdf);
    let pdf = env.join("letter.pdf");
    let bytes = std::fs::read(&pdf).unwrap();

    // The same inputs give the same bytes; the golden hash pins them.
    let last = with_pdf.len() - 1;
    with_pdf[last] = "again.pdf";
    dsr_json(&env, now, &with_pdf);
    assert_eq!(std::fs::read(env.join("again.pdf")).unwrap(), bytes, "deterministic");
    assert_golden("post/erasure-de.pdf.sha256", format!("{}\n", sha256_hex(&bytes)));

    // PDF/A-2b identification (XMP), fonts embedded, an sRGB OutputIntent.
    let meta = tool("pdfinfo", &["-meta", pdf.to_str().unwrap()]);
    assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{meta}");
    assert!(meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "{meta}");
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("Page size:       595.276 x 841.89 pts (A4)"), "{info}");
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols[0].contains("LiberationSans"), "{row}");
        assert_eq!(&cols[cols.len() - 5..cols.len() - 2], ["yes", "yes", "yes"], "embedded, subset, unicode: {row}");
    }
    let json: Value =
        serde_json::from_str(&tool("qpdf", &["--json=2", "--json-key=qpdf", pdf.to_str().unwrap()])).unwrap();
    let objects = &json["qpdf"][1];
    let get = |r: &str| {
        let o = &objects[format!("obj:{r}")];
        if o["value"].is_null() { o["stream"]["dict"].clone() } else { o["value"].clone() }
    };
    let catalog = objects
        .as_object()
        .unwrap()
        .values()
        .find_map(|o| (o["value"]["/Type"] == "/Catalog").then(|| o["value"].clone()))
        .expect("a catalog");
    let intents = get(catalog["/OutputIntents"].as_str().unwrap());
    let intent = get(intents[0].as_str().unwrap());
    assert_eq!(intent["/S"], "/GTS_PDFA1", "{intent}");
    let profile = get(intent["/DestOutputProfile"].as_str().unwrap());
    assert_eq!(profile["/N"], 3, "an RGB ICC profile: {profile}");

    // The extracted text is the letter's text; umlauts come out right.
    let rendered = dsr_json(&env, now, &[&args[..], &["--via", "post"]].concat());
    let expected = letter_lines(rendered["letter"].as_str().unwrap(), "2. Dezember 2026");
    assert!(expected.iter().any(|l| l.contains("Löschung")), "{expected:?}");
    let pages: usize = info.lines().find(|l| l.starts_with("Pages:")).unwrap()[6..].trim().parse().unwrap();
    let mut extracted = page_text(&pdf, 1, 96.0, 280.0);
    assert_eq!(extracted.remove(0), rendered["subject"].as_str().unwrap(), "the subject line first");
    for n in 2..=pages {
        extracted.extend(page_text(&pdf, n, 20.0, 280.0));
    }
    let annex = extracted.iter().position(|l| l.starts_with("Anlage 1: ")).expect("the identity record follows");
    assert_eq!(extracted[..annex], expected[..]);
    assert_eq!(extracted[annex], "Anlage 1: identity-verification.txt");
    assert!(extracted.contains(&"Anlage 2: identity-verification.json".to_string()));
    // Every page is numbered.
    for n in 1..=pages {
        assert_eq!(page_text(&pdf, n, 280.0, 290.0), [format!("Seite {n} von {pages}")]);
    }

    // The return line and the recipient lie inside the address window; the
    // information block does not, and states the deadline and its basis.
    let words = words(&pdf);
    let address =
        ["Meta", "Platforms", "Ireland", "Limited", "4", "Grand", "Canal", "Square", "Harbour", "Dublin", "2"];
    let in_window: Vec<&str> = words.iter().filter(|(_, b)| inside(b, WINDOW)).map(|(w, _)| w.as_str()).collect();
    for w in address.iter().chain(&["Erika", "Mustermann"]) {
        assert!(in_window.contains(w), "{w} not in the window: {in_window:?}");
    }
    assert!(!in_window.contains(&"Datum:"), "the information block is outside the window");
    let first: Vec<String> = page_text(&pdf, 1, 45.0, 96.0);
    assert!(first.iter().any(|l| l.contains("Antwort bis: 8. Januar 2027")), "{first:?}");
    assert!(first.iter().any(|l| l.contains("bei Eingang am 8. Dezember 2026")), "presumed receipt: {first:?}");
    assert_eq!(rendered["deadline"], "2027-01-08", "posted Wed 2 Dec + 4 working days = Tue 8 Dec, + 1 month (IE)");

    // Page 1 renders.
    tool(
        "pdftoppm",
        &["-r", "40", "-f", "1", "-l", "1", "-png", pdf.to_str().unwrap(), env.join("page").to_str().unwrap()],
    );
    assert!(std::fs::metadata(env.join("page-1.png")).unwrap().len() > 1000);
}

fn dsr_out(env: &TestEnv, now: &str, args: &[&str]) -> std::process::Output {
    env.cmd().env("DSR_NOW", now).args(args).output().unwrap()
}

fn status_row(env: &TestEnv, now: &str, request: &str) -> Value {
    let rows = dsr_json(env, now, &["status"]);
    rows.as_array().unwrap().iter().find(|r| r["request"] == request).cloned().unwrap()
}

fn pdf_text(pdf: &Path) -> String {
    tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
}

#[test]
fn a_post_only_company_goes_from_the_letter_to_posting_receipt_reminder_and_complaint() {
    let env = setup();
    let s = subject(&env);
    // Without --via: refused, with the channels Meta accepts and the
    // command for each; nothing is stored or logged.
    let args = ["send", "--to", "facebook", "--kind", "erasure", "--subject", s.as_str()];
    let out = dsr_out(&env, "2026-12-02T09:00:00Z", &args);
    crate::support::assert_output("errors/send-post-only-company", &args, &out, env.placeholders());
    assert!(!env.join("data/log.jsonl").exists());

    // The preview first: the letter as text, nothing stored or logged.
    let render = ["render", "--to", "facebook", "--kind", "erasure", "--subject", s.as_str(), "--via", "post"];
    let preview = dsr_json(&env, "2026-12-02T09:00:00Z", &render);
    assert!(preview["letter"].as_str().unwrap().contains("Article 17"), "{preview}");
    assert!(!env.join("data/log.jsonl").exists());

    // The letter for post: written to the outbox as a PDF, logged, not sent.
    let mut post = args.to_vec();
    post.extend(["--via", "post", "--again", "test: one more request for the same subject"]);
    let out = dsr_out(&env, "2026-12-02T09:00:00Z", &post);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("NOT SENT: the letter was written as a PDF"), "{stderr}");
    let v = dsr_json(&env, "2026-12-02T09:00:00Z", &post);
    let request = v["request"].as_str().unwrap().to_string();
    assert_eq!(v["delivered"]["route"], "post");
    assert_eq!(v["presumed_receipt"], "2026-12-08");
    assert_eq!(v["deadline"], "2027-01-08");
    let file = Path::new(v["delivered"]["file"].as_str().unwrap()).to_path_buf();
    assert!(file.extension().is_some_and(|e| e == "pdf"), "{file:?}");
    let text = pdf_text(&file);
    assert!(text.contains(&format!("Our reference: {request}")), "the reference is the request id: {text}");
    let log = env.read("data/log.jsonl");
    let lines: Vec<Value> = log.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let prepared = lines.iter().rev().find(|l| l["event"] == "prepared" && l["request"] == request.as_str()).unwrap();
    assert_eq!(prepared["data"]["route"], "post");
    let pdf_object = &prepared["data"]["objects"][0];
    assert_eq!(pdf_object["role"], "pdf");
    assert_eq!(pdf_object["sha256"], sha256_hex(&std::fs::read(&file).unwrap()), "the PDF written is the one stored");
    assert_eq!(lines.last().unwrap()["event"], "outboxed");
    let r = status_row(&env, "2026-12-02T10:00:00Z", &request);
    assert_eq!((r["state"].as_str(), r["due"].as_str()), (Some("outboxed"), None));

    // Posted on Thursday with a tracking number: the deadline runs from the
    // presumed receipt, four working days later (Wed 9 Dec), plus a month
    // (Sat 9 Jan 2027, rolled to Monday 11 Jan).
    let v = dsr_json(
        &env,
        "2026-12-03T17:00:00Z",
        &["dispatched", &request, "--via", "post", "--date", "2026-12-03", "--tracking", "rr 123 456 789 de"],
    );
    assert_eq!(v["presumed_received_on"], "2026-12-09");
    assert_eq!((v["due"]["date"].as_str(), v["due"]["presumed"].as_bool()), (Some("2027-01-11"), Some(true)));
    let r = status_row(&env, "2026-12-04T10:00:00Z", &request);
    assert_eq!(
        (r["state"].as_str(), r["due"].as_str(), r["received_on"].as_str(), r["receipt_presumed"].as_bool()),
        (Some("dispatched"), Some("2027-01-11"), Some("2026-12-09"), Some(true))
    );
    let human = String::from_utf8(dsr_out(&env, "2026-12-04T10:00:00Z", &["status"]).stdout).unwrap();
    assert!(human.contains("(receipt presumed 2026-12-09)"), "{human}");
    let ics = env.join("d.ics");
    dsr_out(&env, "2026-12-04T10:00:00Z", &["status", "--ics", ics.to_str().unwrap()]);
    let ics = std::fs::read_to_string(&ics).unwrap().replace("\r\n ", "");
    assert!(ics.contains("DTSTART;VALUE=DATE:20270111"), "{ics}");
    assert!(ics.contains("PRESUMED day of receipt 2026-12-09"), "{ics}");
    let posted = lines_of(&env).pop().unwrap();
    assert_eq!(posted["data"]["tracking"], "RR123456789DE");

    // The Rückschein says Monday 7 Dec: the deadline follows (Thu 7 Jan).
    env.write("rueckschein.pdf", b"%PDF-1.4 scan of the return receipt");
    let v = dsr_json(
        &env,
        "2026-12-10T09:00:00Z",
        &["dispatched", &request, "--via", "post", "--received-on", "2026-12-07", "--receipt", "rueckschein.pdf"],
    );
    assert_eq!(v["events"], serde_json::json!(["receipt_recorded"]));
    assert_eq!(v["due"]["date"], "2027-01-07");
    assert!(v["due"].get("presumed").is_none());
    let last = lines_of(&env).pop().unwrap();
    assert_eq!(last["event"], "receipt_recorded");
    assert_eq!(last["data"]["objects"][0]["role"], "receipt");
    let r = status_row(&env, "2026-12-10T10:00:00Z", &request);
    assert_eq!((r["due"].as_str(), r.get("receipt_presumed")), (Some("2027-01-07"), None));
    // A receipt is recorded once.
    let out = dsr_out(
        &env,
        "2026-12-10T09:00:00Z",
        &["dispatched", &request, "--via", "post", "--received-on", "2026-12-08"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));

    // Overdue: a reminder by post, then a complaint by post.
    let r = status_row(&env, "2027-01-08T12:00:00Z", &request);
    assert_eq!(r["overdue"], true);
    let v = dsr_json(&env, "2027-01-08T12:00:00Z", &["remind", &request, "--via", "post"]);
    assert_eq!(v["delivered"]["route"], "post");
    let reminder = pdf_text(Path::new(v["delivered"]["file"].as_str().unwrap()));
    assert!(reminder.contains("Meta Platforms Ireland Limited"), "{reminder}");
    assert_eq!(status_row(&env, "2027-01-08T13:00:00Z", &request)["state"], "reminded");
    let v = dsr_json(
        &env,
        "2027-01-25T12:00:00Z",
        &["complain", &request, "--authority", "ie-dpc", "--via", "post", "--residence", "Ireland"],
    );
    assert_eq!(v["delivered"]["route"], "post");
    let complaint = pdf_text(Path::new(v["delivered"]["file"].as_str().unwrap()));
    assert!(complaint.contains("Data Protection Commission"), "{complaint}");
    assert!(complaint.contains("request.pdf"), "the request as posted is an annex: {complaint}");
    assert_eq!(status_row(&env, "2027-01-25T13:00:00Z", &request)["state"], "complained");
    let verify = dsr_out(&env, "2027-01-25T13:00:00Z", &["log", "verify", "--objects"]);
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stderr));
}

fn lines_of(env: &TestEnv) -> Vec<Value> {
    env.read("data/log.jsonl").lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn a_letter_for_post_without_the_senders_postal_address_is_refused_and_nothing_is_stored() {
    let env = setup();
    // Erika writes for herself and her subject file gives no address: the
    // return line would be her bare name.
    let s = repo().join("examples/subject-person.toml").display().to_string();
    let args = ["send", "--to", "facebook", "--kind", "erasure", "--subject", s.as_str(), "--via", "post"];
    let out = dsr_out(&env, "2026-12-02T09:00:00Z", &args);
    crate::support::assert_output("errors/send-post-no-return-address", &args, &out, env.placeholders());
    assert!(!env.join("data").exists(), "nothing stored, logged or written");
    // The preview says the same.
    let render = ["render", "--to", "facebook", "--kind", "erasure", "--subject", s.as_str(), "--pdf", "l.pdf"];
    let out = dsr_out(&env, "2026-12-02T09:00:00Z", &render);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs the sender's postal address"), "{out:?}");
    assert!(!env.join("l.pdf").exists());
}

#[test]
fn a_letter_for_post_carries_the_latest_signed_checkpoint_in_its_metadata() {
    let env = setup();
    let out = env.dsr(&["key", "new"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s = subject(&env);
    let args = [
        "send",
        "--to",
        "facebook",
        "--kind",
        "erasure",
        "--subject",
        s.as_str(),
        "--via",
        "post",
        "--again",
        "test: one more request for the same subject",
    ];
    // The first letter: the log has no checkpoint yet.
    let first = dsr_json(&env, "2026-12-02T09:00:00Z", &args);
    let keywords = |v: &Value| {
        let info = tool("pdfinfo", &[v["delivered"]["file"].as_str().unwrap()]);
        info.lines().find_map(|l| l.strip_prefix("Keywords:")).map(|k| k.trim().to_string())
    };
    assert_eq!(keywords(&first), None, "no checkpoint yet");
    // The command sealed the log; the next letter carries that checkpoint.
    let checkpoint = lines_of(&env).pop().unwrap();
    assert_eq!(checkpoint["event"], "checkpoint");
    let note = checkpoint["data"]["note"].as_str().unwrap();
    let second = dsr_json(&env, "2026-12-02T10:00:00Z", &args);
    let keywords = keywords(&second).expect("keywords");
    let words: Vec<&str> = keywords.split(", ").collect();
    let body: Vec<&str> = note.lines().take(3).collect();
    assert_eq!(words[0], format!("dsr-log-checkpoint: {} size {} root {}", body[0], body[1], body[2]));
    assert_eq!(
        words[1],
        format!("dsr-log-checkpoint-note:{}", crate::support::base64(note.as_bytes())),
        "the signed note, byte for byte"
    );
}

/// A PNG of `w × h` pixels (RGB, a colour gradient), written by hand:
/// signature, IHDR, one zlib IDAT, IEND.
fn png(w: u32, h: u32) -> Vec<u8> {
    use std::io::Write;
    fn crc(bytes: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for b in bytes {
            c ^= u32::from(*b);
            for _ in 0..8 {
                c = if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
        }
        !c
    }
    let chunk = |out: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc(&body).to_be_bytes());
    };
    let mut raw = Vec::new();
    for y in 0..h {
        raw.push(0);
        for x in 0..w {
            raw.extend([(x * 255 / w) as u8, (y * 255 / h) as u8, 128]);
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&raw).unwrap();
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z.finish().unwrap());
    chunk(&mut out, b"IEND", &[]);
    out
}

fn pages_of(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines().find(|l| l.starts_with("Pages:")).unwrap()[6..].trim().parse().unwrap()
}

/// The heading (first line) of every page from `from` on.
fn headings(pdf: &Path, from: usize) -> Vec<String> {
    (from..=pages_of(pdf)).map(|n| page_text(pdf, n, 20.0, 32.0).join(" ")).collect()
}

/// A letter dsr itself wrote, to enclose in another (deterministic bytes).
fn dsr_pdf(env: &TestEnv, s: &str, file: &str) -> std::path::PathBuf {
    let args = ["render", "--to", "facebook", "--kind", "access", "--lang", "de", "--subject", s, "--pdf", file];
    dsr_json(env, "2026-11-20T09:00:00Z", &args);
    env.join(file)
}

/// PDF/A-2b identification in the XMP metadata, an sRGB OutputIntent and
/// qpdf's structural check.
fn assert_pdf_a(pdf: &Path) {
    let meta = tool("pdfinfo", &["-meta", pdf.to_str().unwrap()]);
    assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{meta}");
    assert!(meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "{meta}");
    let check = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(check.contains("No syntax or stream encoding errors found"), "{check}");
    let json: Value =
        serde_json::from_str(&tool("qpdf", &["--json=2", "--json-key=qpdf", pdf.to_str().unwrap()])).unwrap();
    let objects = json["qpdf"][1].as_object().unwrap();
    let intents: Vec<&Value> = objects.values().filter(|o| o["value"]["/S"] == "/GTS_PDFA1").collect();
    assert_eq!(intents.len(), 1, "one PDF/A OutputIntent");
}

#[test]
fn enclosed_pdfs_and_images_are_appended_page_by_page_and_other_files_listed_as_not_appended() {
    let env = setup();
    let s = subject(&env);
    // The enclosures: a PDF from another producer (cairo, from a letter dsr
    // wrote), a PNG and a JPEG made by poppler, a GIF that is only listed.
    let own = dsr_pdf(&env, &s, "own.pdf");
    let foreign = env.join("bescheid.pdf");
    tool("pdftocairo", &["-pdf", own.to_str().unwrap(), foreign.to_str().unwrap()]);
    let k = pages_of(&foreign);
    let foreign_text = pdf_text(&foreign);
    tool(
        "pdftoppm",
        &[
            "-r",
            "30",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            "-singlefile",
            own.to_str().unwrap(),
            env.join("scan").to_str().unwrap(),
        ],
    );
    tool(
        "pdftoppm",
        &[
            "-r",
            "30",
            "-f",
            "1",
            "-l",
            "1",
            "-jpeg",
            "-singlefile",
            own.to_str().unwrap(),
            env.join("foto").to_str().unwrap(),
        ],
    );
    env.write("logo.gif", "GIF89a not really");
    let now = "2026-12-02T09:00:00Z";
    let mut args = vec!["render", "--to", "facebook", "--kind", "erasure", "--lang", "de", "--subject", &s];
    for f in ["bescheid.pdf", "scan.png", "foto.jpg", "logo.gif"] {
        args.extend(["--attach", f]);
    }
    args.extend(["--pdf", "letter.pdf"]);
    let out = env.cmd().env("DSR_NOW", now).args(&args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("logo.gif: not a PDF, PNG or JPEG image or text"), "{stderr}");
    assert!(!stderr.contains("bescheid.pdf"), "the PDF is appended, no warning: {stderr}");
    let pdf = env.join("letter.pdf");
    assert_pdf_a(&pdf);

    // The pages: the letter, the identity record (text, JSON), every page
    // of the PDF, the PNG, the JPEG; each headed with its number and name.
    let text = pdf_text(&pdf);
    let first_annex = (1..=pages_of(&pdf))
        .find(|n| page_text(&pdf, *n, 20.0, 32.0).first().is_some_and(|l| l.starts_with("Anlage 1: ")))
        .expect("the annexes follow the letter");
    let all = headings(&pdf, first_annex);
    let text_annexes: Vec<&String> = all.iter().filter(|h| h.starts_with("Anlage ")).take(2).collect();
    assert_eq!(text_annexes, ["Anlage 1: identity-verification.txt", "Anlage 2: identity-verification.json"]);
    // From the PDF's first page on, every page is an enclosure's.
    let start = first_annex + all.iter().position(|h| h.starts_with("Anlage 3: ")).expect("the PDF is appended");
    let mut expected: Vec<String> = (1..=k)
        .map(|i| {
            if k > 1 { format!("Anlage 3: bescheid.pdf (Seite {i} von {k})") } else { "Anlage 3: bescheid.pdf".into() }
        })
        .collect();
    expected.extend(["Anlage 4: scan.png".to_string(), "Anlage 5: foto.jpg".to_string()]);
    assert_eq!(headings(&pdf, start), expected, "{text}");
    assert_eq!(pages_of(&pdf), start - 1 + k + 2, "letter + annex + enclosure pages");
    // The enclosure list says which file is not appended.
    assert!(text.contains("- logo.gif (nicht an diese PDF-Datei angehängt; liegt als Ausdruck bei)"), "{text}");
    assert!(text.contains("- bescheid.pdf\n"), "{text}");

    // The enclosed PDF's pages keep their text (vector content, not a scan).
    let mut copied = String::new();
    for n in start..start + k {
        copied.push_str(&tool("pdftotext", &["-f", &n.to_string(), "-l", &n.to_string(), pdf.to_str().unwrap(), "-"]));
    }
    for line in foreign_text.lines().map(str::trim).filter(|l| l.len() > 20).take(8) {
        assert!(copied.contains(line), "{line:?} not in the copied pages: {copied}");
    }
    // The images are on their pages, and those pages render.
    let list = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    let image_pages: Vec<usize> =
        list.lines().skip(2).map(|l| l.split_whitespace().next().unwrap().parse().unwrap()).collect();
    assert_eq!(image_pages, [start + k, start + k + 1], "{list}");
    let png_page = (start + k).to_string();
    tool(
        "pdftoppm",
        &[
            "-r",
            "30",
            "-f",
            &png_page,
            "-l",
            &png_page,
            "-png",
            "-singlefile",
            pdf.to_str().unwrap(),
            env.join("page").to_str().unwrap(),
        ],
    );
    assert!(std::fs::metadata(env.join("page.png")).unwrap().len() > 1000);
}

#[test]
fn a_letter_with_a_pdf_and_an_image_enclosure_has_the_same_bytes_every_time() {
    let env = setup();
    let s = subject(&env);
    dsr_pdf(&env, &s, "own.pdf");
    std::fs::write(env.join("scan.png"), png(64, 48)).unwrap();
    let args = [
        "render",
        "--to",
        "facebook",
        "--kind",
        "erasure",
        "--lang",
        "de",
        "--subject",
        &s,
        "--attach",
        "own.pdf",
        "--attach",
        "scan.png",
        "--pdf",
    ];
    let run = |file: &str| {
        let out = env.cmd().env("DSR_NOW", "2026-12-02T09:00:00Z").args(args).arg(file).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        std::fs::read(env.join(file)).unwrap()
    };
    let a = run("a.pdf");
    assert_eq!(run("b.pdf"), a, "deterministic");
    assert_pdf_a(&env.join("a.pdf"));
    assert_golden("post/enclosures-de.pdf.sha256", format!("{}\n", sha256_hex(&a)));
}

/// A one-page PDF whose content `content` uses the font `font` (a font
/// dictionary) and the graphics state `gs`, with a correct xref table.
fn raw_pdf(font: &str, gs: &str, content: &str) -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> /ExtGState << /G1 6 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len() + 1),
        font.to_string(),
        gs.to_string(),
    ];
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).into_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").into_bytes());
    }
    out.extend(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).into_bytes(),
    );
    out
}

#[test]
fn an_enclosed_pdf_that_is_encrypted_damaged_or_would_break_pdf_a_is_refused_by_name_and_nothing_is_stored() {
    let env = setup();
    let s = subject(&env);
    let own = dsr_pdf(&env, &s, "own.pdf");
    let helvetica = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
    let opaque = "<< /Type /ExtGState /ca 1 >>";
    let text = "BT /F1 12 Tf 72 720 Td (Kontoauszug) Tj ET";
    // The hand-made PDF is sound: without the font it passes (plain.pdf),
    // so each refusal below is for the reason named.
    std::fs::write(env.join("standard-font.pdf"), raw_pdf(helvetica, opaque, text)).unwrap();
    std::fs::write(
        env.join("transparent.pdf"),
        raw_pdf("null", "<< /Type /ExtGState /ca 0.5 >>", "/G1 gs 0 0 1 rg 72 72 100 100 re f"),
    )
    .unwrap();
    std::fs::write(env.join("cmyk.pdf"), raw_pdf("null", opaque, "0 0 0 1 k 72 72 100 100 re f")).unwrap();
    std::fs::write(env.join("plain.pdf"), raw_pdf("null", opaque, "0 0 1 rg 72 72 100 100 re f")).unwrap();
    tool(
        "qpdf",
        &["--encrypt", "user", "owner", "256", "--", own.to_str().unwrap(), env.join("locked.pdf").to_str().unwrap()],
    );
    let bytes = std::fs::read(&own).unwrap();
    std::fs::write(env.join("broken.pdf"), &bytes[..bytes.len() / 3]).unwrap();
    std::fs::write(env.join("fake.pdf"), "this is no PDF").unwrap();

    let now = "2026-12-02T09:00:00Z";
    // Past the first, `--again`: the duplicate guard (checked before the
    // question) would refuse them before their PDFs are looked at.
    let send = |file: &str, again: &[&str]| {
        let mut args =
            vec!["send", "--to", "facebook", "--kind", "erasure", "--subject", &s, "--via", "post", "--attach", file];
        args.extend(again);
        dsr_out(&env, now, &args)
    };
    // A PDF with only vector graphics and no text passes the check.
    let ok = send("plain.pdf", &[]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let log_before = env.read("data/log.jsonl");
    let objects_before = crate::support::files(&env.join("data/objects"));
    for (file, reason) in [
        ("standard-font.pdf", "cannot be appended to a PDF/A-2b letter: page 1: its font Helvetica is not embedded"),
        ("transparent.pdf", "cannot be appended to a PDF/A-2b letter: page 1: it uses transparency"),
        ("cmyk.pdf", "cannot be appended to a PDF/A-2b letter: page 1: it uses CMYK colours"),
        ("locked.pdf", "cannot be appended to the letter: the PDF is encrypted"),
        ("broken.pdf", "cannot be appended to the letter: the PDF cannot be read"),
        ("fake.pdf", "cannot be appended to the letter: not a PDF file"),
    ] {
        let out = send(file, &["--again", "a second letter"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {stderr}");
        assert!(stderr.contains(&format!("{file}: {reason}")), "{file}: {stderr}");
        let fix = if reason.contains("PDF/A-2b") { "convert it to PDF/A first" } else { "attach it as a PNG, JPEG" };
        assert!(stderr.contains(fix), "{file}: {stderr}");
        assert_eq!(env.read("data/log.jsonl"), log_before, "{file}: nothing logged");
        assert_eq!(crate::support::files(&env.join("data/objects")), objects_before, "{file}: nothing stored");
    }
}
