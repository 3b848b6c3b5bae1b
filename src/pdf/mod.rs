//! Letters for post: a DIN 5008 page as PDF/A-2b, with fonts embedded and
//! the same bytes for the same inputs.
//!
//! Plain data in, bytes out: every word on the page (the letter, the return
//! line, the information block, annex headings, page numbers) is rendered
//! by the caller from `templates/<lang>/` and handed over as text; this
//! module only places it. It knows nothing of requests or the log.
//!
//! # The page (DIN 5008, Form B; A4, millimetres from the top left)
//!
//! | element | where | module constant |
//! |---|---|---|
//! | address field (window of a DL/C6 envelope, DIN 680) | x 20, y 45, 85 × 45 | [`din5008::ADDRESS_FIELD`] |
//! | return line (Rücksendeangabe), 7 pt | in the field's upper zone (17.7 mm), from x 25 | [`din5008::RETURN_LINE_Y`] |
//! | recipient, up to 6 lines of 10 pt | lower zone, from y 62.7 | [`din5008::RECIPIENT_TOP`] |
//! | information block (date, reference, deadline) | x 125, y 50 | [`din5008::INFO_BLOCK`] |
//! | subject line (bold) and letter text, 11 pt | from y 98.46, x 25 to 190 | [`din5008::BODY_TOP`] |
//! | fold marks, punch mark | y 105 and 210; y 148.5 | [`din5008::FOLD_MARKS`] |
//!
//! Later pages carry the letter on from y 25; every page ends with its
//! number (bottom right). Annexes follow, each from a new page: text (the
//! identity record) set like the letter, images scaled to the page.
//!
//! The letter text keeps its own line breaks (it is the same text the
//! email carries, wrapped for reading); only a line wider than the text
//! column is broken again, at spaces. Indentation is kept as an offset.
//!
//! # PDF/A-2b and determinism
//!
//! krilla writes the file with its PDF/A-2b validator on: fonts embedded
//! and subset (Liberation Sans, SIL OFL 1.1, `fonts/`), XMP metadata with
//! the PDF/A identification, an sRGB OutputIntent; it refuses to write what
//! would break the profile. The creation date and the document id come
//! from the caller (the letter's date, the request), nothing from the
//! clock or randomness: the same [`Letter`] gives the same bytes.
//! [`Letter::keywords`] carries the log's latest signed checkpoint
//! (`ops::post::checkpoint_keywords`) into the document information
//! dictionary and the XMP metadata.

pub mod din5008;
pub mod import;

use chrono::{Datelike, NaiveDate};
use krilla::Document;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point, Size};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use skrifa::MetadataProvider;

/// The regular face (Liberation Sans 2.1.5, SIL OFL 1.1).
static REGULAR: &[u8] = include_bytes!("../../fonts/LiberationSans-Regular.ttf");
/// The bold face.
static BOLD: &[u8] = include_bytes!("../../fonts/LiberationSans-Bold.ttf");

/// Why a letter could not be written as PDF.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An annex (a user's attachment) is not an image that can be read.
    #[error("{}", crate::t!("pdf.error.annex", name = name, reason = reason))]
    Annex {
        /// The attachment's file name.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An enclosed PDF's page would break PDF/A-2b (or uses what dsr
    /// cannot check), so it is not copied into the letter.
    #[error("{}", crate::t!("pdf.error.not-pdfa", name = name, reason = reason))]
    NotPdfA {
        /// The attachment's file name.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The PDF writer refused (a PDF/A rule would be broken, a limit hit).
    #[error("{}", crate::t!("pdf.error.write", reason = .0))]
    Write(String),
}

impl Error {
    /// The exit code class: an unusable attachment is bad input; a refusal
    /// of the writer is dsr's own fault.
    pub fn exit_kind(&self) -> crate::exit::ExitKind {
        match self {
            Error::Annex { .. } | Error::NotPdfA { .. } => crate::exit::ExitKind::BadInput,
            Error::Write(_) => crate::exit::ExitKind::Unexpected,
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Annex { .. } => Some(crate::t!("pdf.error.annex-hint")),
            Error::NotPdfA { .. } => Some(crate::t!("pdf.error.not-pdfa-hint")),
            Error::Write(_) => Some(crate::t!("pdf.error.write-hint")),
        }
    }
}

/// One annex, appended after the letter from a new page.
#[derive(Debug, Clone)]
pub struct Annex {
    /// The heading printed on its first page (`Anlage 1: identity-verification.txt`).
    pub heading: String,
    /// Its name, for errors.
    pub name: String,
    /// What it holds.
    pub content: AnnexContent,
}

/// An annex's content.
#[derive(Debug, Clone)]
pub enum AnnexContent {
    /// Text, set like the letter.
    Text(String),
    /// A PNG or JPEG image, scaled to fit the page.
    Image(Vec<u8>),
    /// A PDF, read and checked: each of its pages on a page of its own,
    /// under its heading (one for every page; the first replaces
    /// [`Annex::heading`]), scaled to fit.
    Pdf {
        /// The pages.
        source: Box<import::Source>,
        /// The heading of each page.
        headings: Vec<String>,
    },
}

/// Everything on the pages, already in words. See the module docs.
pub struct Letter<'a> {
    /// The document language (`de`, `en`).
    pub lang: &'a str,
    /// The document title (the subject line).
    pub title: String,
    /// The author (who signs).
    pub author: String,
    /// The letter's date: the PDF's creation date.
    pub date: NaiveDate,
    /// A stable id for this letter (the request and the letter's id): the
    /// PDF's document id is derived from it.
    pub document_id: String,
    /// Keywords for the metadata (the log's latest signed checkpoint);
    /// none may hold ", ", which joins them.
    pub keywords: Vec<String>,
    /// The return line above the address (Rücksendeangabe).
    pub return_line: String,
    /// The recipient's name and postal address, one line each (at most 6).
    pub recipient: Vec<String>,
    /// The information block, one line each.
    pub info: Vec<String>,
    /// The subject line, in bold.
    pub subject: String,
    /// The letter text from the salutation to the enclosures.
    pub body: String,
    /// The annexes, in order.
    pub annexes: Vec<Annex>,
    /// The page number line for page `n` of `total` (`Seite 1 von 3`).
    pub page_label: &'a dyn Fn(usize, usize) -> String,
}

/// Points per millimetre.
const MM: f32 = 72.0 / 25.4;

/// A font with what layout needs: the face for drawing, the advance widths
/// for measuring.
struct Face {
    font: Font,
    data: &'static [u8],
}

impl Face {
    fn load(data: &'static [u8]) -> Face {
        let font = Font::new(data.into(), 0).expect("the embedded font parses");
        Face { font, data }
    }

    /// The width of `text` at `size` pt (kerning ignored: a little wide,
    /// which keeps lines inside the column).
    fn width(&self, text: &str, size: f32) -> f32 {
        let f = skrifa::FontRef::new(self.data).expect("the embedded font parses");
        let charmap = f.charmap();
        let metrics = f.glyph_metrics(skrifa::instance::Size::new(size), skrifa::instance::LocationRef::default());
        text.chars().map(|c| charmap.map(c).and_then(|g| metrics.advance_width(g)).unwrap_or(size * 0.6)).sum()
    }
}

/// One thing placed on a page (millimetres from the top left; text at its
/// baseline).
enum Item {
    Text { x: f32, y: f32, size: f32, bold: bool, text: String },
    Line { x1: f32, y1: f32, x2: f32, y2: f32 },
    Image { x: f32, y: f32, w: f32, h: f32, image: krilla::image::Image },
}

/// Writes the letter. See the module docs.
///
/// # Errors
/// An annex that is not a readable image or PDF ([`Error::Annex`]); the
/// writer refusing ([`Error::Write`]).
pub fn render(letter: &Letter<'_>) -> Result<Vec<u8>, Error> {
    let regular = Face::load(REGULAR);
    let bold = Face::load(BOLD);
    let mut pages: Vec<Vec<Item>> = Vec::new();
    let mut page = first_page(letter);
    let mut y = din5008::BODY_TOP + din5008::BODY_SIZE * 0.8 / MM;
    page.push(Item::Text { x: din5008::LEFT, y, size: din5008::BODY_SIZE, bold: true, text: letter.subject.clone() });
    y += 2.0 * din5008::LINE;
    flow(&mut pages, &mut page, &mut y, &letter.body, &regular);
    pages.push(std::mem::take(&mut page));
    let mut sources: Vec<&import::Source> = Vec::new();
    let mut placements = Vec::new();
    for annex in &letter.annexes {
        if let AnnexContent::Pdf { source, headings } = &annex.content {
            for (i, heading) in headings.iter().enumerate().take(source.len()) {
                let y = din5008::TOP + din5008::BODY_SIZE * 0.8 / MM;
                page.push(Item::Text {
                    x: din5008::LEFT,
                    y,
                    size: din5008::BODY_SIZE,
                    bold: true,
                    text: heading.clone(),
                });
                let top = y + 2.0 * din5008::LINE;
                placements.push(import::Placement {
                    page: pages.len(),
                    source: sources.len(),
                    source_page: i,
                    rect: [
                        din5008::LEFT * MM,
                        (din5008::HEIGHT - din5008::BOTTOM) * MM,
                        (din5008::RIGHT - din5008::LEFT) * MM,
                        (din5008::BOTTOM - top) * MM,
                    ],
                });
                pages.push(std::mem::take(&mut page));
            }
            sources.push(source);
            continue;
        }
        let mut y = din5008::TOP + din5008::BODY_SIZE * 0.8 / MM;
        page.push(Item::Text {
            x: din5008::LEFT,
            y,
            size: din5008::BODY_SIZE,
            bold: true,
            text: annex.heading.clone(),
        });
        y += 2.0 * din5008::LINE;
        let (x0, w, h) = (din5008::LEFT, din5008::RIGHT - din5008::LEFT, din5008::BOTTOM - y);
        match &annex.content {
            AnnexContent::Text(text) => flow(&mut pages, &mut page, &mut y, text, &regular),
            AnnexContent::Image(bytes) => {
                let image = image(&annex.name, bytes)?;
                let (iw, ih) = image.size();
                let (fw, fh) = fit(iw as f32, ih as f32, w, h);
                page.push(Item::Image { x: x0, y, w: fw, h: fh, image });
            }
            AnnexContent::Pdf { .. } => {}
        }
        pages.push(std::mem::take(&mut page));
    }
    let bytes = write(letter, &pages, &regular, &bold)?;
    import::place(&bytes, &sources, &placements)
}

/// Page 1's fixed parts: marks, return line, recipient, information block.
fn first_page(letter: &Letter<'_>) -> Vec<Item> {
    let mut p = Vec::new();
    for y in din5008::FOLD_MARKS {
        p.push(Item::Line { x1: 0.0, y1: y, x2: 5.0, y2: y });
    }
    p.push(Item::Line { x1: 0.0, y1: din5008::PUNCH_MARK, x2: 8.0, y2: din5008::PUNCH_MARK });
    let text = |x: f32, y: f32, size: f32, s: &str| Item::Text { x, y, size, bold: false, text: s.to_string() };
    p.push(text(din5008::LEFT, din5008::RETURN_LINE_Y, din5008::RETURN_SIZE, &letter.return_line));
    let step = din5008::ADDRESS_SIZE * 1.2 / MM;
    for (i, line) in letter.recipient.iter().take(6).enumerate() {
        let y = din5008::RECIPIENT_TOP + din5008::ADDRESS_SIZE * 0.8 / MM + step * i as f32;
        p.push(text(din5008::LEFT, y, din5008::ADDRESS_SIZE, line));
    }
    let [ix, iy, _, _] = din5008::INFO_BLOCK;
    for (i, line) in letter.info.iter().enumerate() {
        p.push(text(ix, iy + din5008::ADDRESS_SIZE * 0.8 / MM + step * i as f32, din5008::ADDRESS_SIZE, line));
    }
    p
}

/// Sets `text` line by line from `y`, starting new pages as needed.
fn flow(pages: &mut Vec<Vec<Item>>, page: &mut Vec<Item>, y: &mut f32, text: &str, face: &Face) {
    let column = din5008::RIGHT - din5008::LEFT;
    let space = face.width(" ", din5008::BODY_SIZE) / MM;
    for raw in text.lines() {
        let indent_chars = raw.len() - raw.trim_start_matches(' ').len();
        let indent = indent_chars as f32 * space;
        let content = raw.trim_start_matches(' ').trim_end();
        for piece in wrap(content, column - indent, face) {
            if *y > din5008::BOTTOM {
                pages.push(std::mem::take(page));
                *y = din5008::TOP + din5008::BODY_SIZE * 0.8 / MM;
                if piece.is_empty() {
                    continue;
                }
            }
            if !piece.is_empty() {
                page.push(Item::Text {
                    x: din5008::LEFT + indent,
                    y: *y,
                    size: din5008::BODY_SIZE,
                    bold: false,
                    text: piece,
                });
            }
            *y += din5008::LINE;
        }
    }
}

/// `line` broken at spaces into pieces no wider than `width` mm (a word
/// wider than that alone stays whole).
fn wrap(line: &str, width: f32, face: &Face) -> Vec<String> {
    let fits = |s: &str| face.width(s, din5008::BODY_SIZE) / MM <= width;
    if line.is_empty() || fits(line) {
        return vec![line.to_string()];
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    for word in line.split(' ') {
        let candidate = if cur.is_empty() { word.to_string() } else { format!("{cur} {word}") };
        if fits(&candidate) || cur.is_empty() {
            cur = candidate;
        } else {
            out.push(std::mem::replace(&mut cur, word.to_string()));
        }
    }
    out.push(cur);
    out
}

/// `w × h` scaled to fit inside `max_w × max_h` (mm), never enlarged past
/// the box, aspect kept.
fn fit(w: f32, h: f32, max_w: f32, max_h: f32) -> (f32, f32) {
    let scale = (max_w / w).min(max_h / h);
    (w * scale, h * scale)
}

fn image(name: &str, bytes: &[u8]) -> Result<krilla::image::Image, Error> {
    let data: krilla::Data = bytes.to_vec().into();
    let result = if bytes.starts_with(b"\x89PNG") {
        krilla::image::Image::from_png(data, false)
    } else if bytes.starts_with(&[0xFF, 0xD8]) {
        krilla::image::Image::from_jpeg(data, false)
    } else {
        Err(crate::t!("pdf.annex.not-an-image"))
    };
    let image = result.map_err(|reason| Error::Annex { name: name.to_string(), reason })?;
    // An empty image has no size to draw it at (`draw` relies on one).
    match image.size() {
        (0, _) | (_, 0) => Err(Error::Annex { name: name.to_string(), reason: crate::t!("pdf.annex.no-pixels") }),
        _ => Ok(image),
    }
}

/// Draws the pages and writes the document.
fn write(letter: &Letter<'_>, pages: &[Vec<Item>], regular: &Face, bold: &Face) -> Result<Vec<u8>, Error> {
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_B)
        .finish()
        .map_err(|e| Error::Write(format!("{e:?}")))?;
    let settings = krilla::SerializeSettings { configuration, ..Default::default() };
    let mut doc = Document::new_with(settings);
    let d = letter.date;
    let created = DateTime::new(u16::try_from(d.year()).unwrap_or(0))
        .month(d.month() as u8)
        .day(d.day() as u8)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0);
    doc.set_metadata(
        Metadata::new()
            .title(letter.title.clone())
            .authors(vec![letter.author.clone()])
            .language(letter.lang.to_string())
            .creator(format!("dsr {}", env!("CARGO_PKG_VERSION")))
            .producer(format!("dsr {} (krilla)", env!("CARGO_PKG_VERSION")))
            .keywords(letter.keywords.clone())
            .creation_date(created)
            .document_id(letter.document_id.clone()),
    );
    let total = pages.len();
    let a4 = PageSettings::new(Size::from_wh(din5008::WIDTH * MM, din5008::HEIGHT * MM).expect("A4 is a size"));
    for (n, items) in pages.iter().enumerate() {
        let mut page = doc.start_page_with(a4.clone());
        let mut s = page.surface();
        let black = Fill {
            paint: krilla::color::rgb::Color::black().into(),
            opacity: NormalizedF32::ONE,
            rule: Default::default(),
        };
        s.set_fill(Some(black));
        let label = (letter.page_label)(n + 1, total);
        let lw = regular.width(&label, din5008::ADDRESS_SIZE) / MM;
        let footer = Item::Text {
            x: din5008::RIGHT - lw,
            y: din5008::FOOTER_Y,
            size: din5008::ADDRESS_SIZE,
            bold: false,
            text: label,
        };
        for item in items.iter().chain(std::iter::once(&footer)) {
            match item {
                Item::Text { x, y, size, bold: b, text } => {
                    let face = if *b { bold } else { regular };
                    s.draw_text(
                        Point::from_xy(x * MM, y * MM),
                        face.font.clone(),
                        *size,
                        text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Item::Line { x1, y1, x2, y2 } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(x1 * MM, y1 * MM);
                    pb.line_to(x2 * MM, y2 * MM);
                    if let Some(path) = pb.finish() {
                        s.set_stroke(Some(Stroke {
                            paint: krilla::color::rgb::Color::new(128, 128, 128).into(),
                            width: 0.5,
                            ..Default::default()
                        }));
                        s.draw_path(&path);
                        s.set_stroke(None);
                    }
                }
                Item::Image { x, y, w, h, image } => {
                    s.push_transform(&krilla::geom::Transform::from_translate(x * MM, y * MM));
                    s.draw_image(image.clone(), Size::from_wh(w * MM, h * MM).expect("an image has a size"));
                    s.pop();
                }
            }
        }
        s.finish();
        page.finish();
    }
    doc.finish().map_err(|e| Error::Write(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter<'a>(label: &'a dyn Fn(usize, usize) -> String, body: &str) -> Letter<'a> {
        Letter {
            lang: "de",
            title: "Antrag auf Löschung".into(),
            author: "Dr. Anna Beispiel".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            document_id: "r_aaaaaaaaaaaaaaaa/m1@beispiel.example".into(),
            keywords: Vec::new(),
            return_line: "Dr. Anna Beispiel · Musterstraße 12 · 10115 Berlin".into(),
            recipient: vec!["Müller & Söhne GmbH".into(), "Hauptstraße 1".into(), "10115 Berlin".into()],
            info: vec!["Datum: 2. Dezember 2026".into()],
            subject: "Antrag auf Löschung".into(),
            body: body.into(),
            annexes: vec![Annex {
                heading: "Anlage 1: identity-verification.txt".into(),
                name: "identity-verification.txt".into(),
                content: AnnexContent::Text("Identität: geprüft".into()),
            }],
            page_label: label,
        }
    }

    #[test]
    fn the_same_letter_gives_the_same_bytes_and_a_pdf_a_header() {
        let label = |n: usize, t: usize| format!("Seite {n} von {t}");
        let body = "Sehr geehrte Damen und Herren,\n\nbitte löschen Sie alle Daten.\n".repeat(40);
        let a = render(&letter(&label, &body)).unwrap();
        let b = render(&letter(&label, &body)).unwrap();
        assert_eq!(a, b);
        assert!(a.starts_with(b"%PDF-1.7"), "{:?}", &a[..10]);
        let text = String::from_utf8_lossy(&a);
        assert!(text.contains("pdfaid:part=\"2\"") || text.contains("<pdfaid:part>2</pdfaid:part>"), "PDF/A-2 id");
    }

    #[test]
    fn long_lines_are_broken_at_spaces_inside_the_column() {
        let face = Face::load(REGULAR);
        let long = "Wort ".repeat(60);
        let pieces = wrap(long.trim_end(), 165.0, &face);
        assert!(pieces.len() > 1);
        for p in &pieces {
            assert!(face.width(p, din5008::BODY_SIZE) / MM <= 165.0, "{p}");
        }
        assert_eq!(pieces.join(" "), long.trim_end());
    }

    #[test]
    fn an_unreadable_annex_is_named() {
        let label = |n: usize, t: usize| format!("{n}/{t}");
        let mut l = letter(&label, "Text");
        l.annexes.push(Annex {
            heading: "Anlage 2".into(),
            name: "scan.png".into(),
            content: AnnexContent::Image(b"not a png".to_vec()),
        });
        let e = render(&l).unwrap_err();
        assert_eq!(e.to_string(), "scan.png: cannot be appended to the letter: not a PNG or JPEG image");
    }
}
