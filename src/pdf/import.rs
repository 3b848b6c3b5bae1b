//! Pages of an enclosed PDF, checked and copied into the letter.
//!
//! krilla writes the letter and refuses foreign PDF content under PDF/A
//! (it cannot vouch for it), so the letter is written with an empty,
//! headed page for every page of an enclosed PDF, and [`place`] then
//! copies each source page's content onto it as a form XObject, scaled to
//! the box below the heading (lopdf reads and writes the objects; the
//! letter's own objects, its metadata and its document id stay as krilla
//! wrote them).
//!
//! The copy must not make the letter lie about being PDF/A-2b, so
//! [`Source::open`] reads every page first and refuses, naming the file
//! and the reason, a PDF that is encrypted or cannot be read, and every
//! page whose content (the page, its resources, every object they reach)
//! uses what PDF/A-2b forbids or what dsr does not check:
//!
//! - fonts that are not embedded (the standard 14 included);
//! - transparency effects (soft masks, constant alpha below 1, blend
//!   modes other than Normal): PDF/A-2 allows them under rules dsr does not
//!   check, so it refuses them (a transparency group alone is harmless and
//!   is not copied);
//! - CMYK colours (the letter's output intent is sRGB), in resources,
//!   images or the `k`/`K` operators;
//! - LZW, JPEG 2000 and crypt filters, external streams;
//! - transfer functions, halftone phases, image interpolation, alternate
//!   images, OPI, PostScript and reference XObjects, optional content,
//!   JavaScript, non-standard rendering intents;
//! - annotations other than links (form fields, comments: their
//!   appearance is not part of the page content and would be lost);
//! - PDF 2.0 files.
//!
//! What it does not re-check: that an embedded font program holds every
//! glyph used and agrees with the font's widths (true of fonts written by
//! PDF producers, and beyond what dsr can verify without a full PDF/A
//! validator). Links are not copied.

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::collections::{BTreeMap, BTreeSet};

use super::Error;

/// The most bytes one decoded content stream may have.
const CONTENT_LIMIT: usize = 64 << 20;

/// How deep objects may nest (a cycle ends the walk at a visited object).
const DEPTH: usize = 64;

/// An enclosed PDF, read and checked: its pages ready to be copied.
#[derive(Debug, Clone)]
pub struct Source {
    doc: Document,
    pages: Vec<SourcePage>,
}

#[derive(Debug, Clone)]
struct SourcePage {
    /// The visible box (crop box, else media box): x0, y0, x1, y1.
    bbox: [f32; 4],
    /// Clockwise rotation for display: 0, 90, 180 or 270.
    rotate: i64,
    /// The page's resources (inherited ones resolved).
    resources: Object,
    /// The decoded content, all content streams joined.
    content: Vec<u8>,
}

impl Source {
    /// Reads `bytes` (the attachment `name`) and checks every page.
    ///
    /// # Errors
    /// [`Error::Annex`] for a PDF that cannot be read or is encrypted;
    /// [`Error::NotPdfA`] for a page that would break PDF/A-2b.
    pub fn open(name: &str, bytes: &[u8]) -> Result<Source, Error> {
        let annex = |reason: String| Error::Annex { name: name.to_string(), reason };
        if !bytes.starts_with(b"%PDF-") {
            return Err(annex(crate::t!("pdf.annex.not-a-pdf")));
        }
        let doc = Document::load_mem(bytes).map_err(|e| annex(crate::t!("pdf.annex.unreadable", reason = e)))?;
        if doc.trailer.get(b"Encrypt").is_ok() || doc.was_encrypted() {
            return Err(annex(crate::t!("pdf.annex.encrypted")));
        }
        if doc.version.starts_with('2') {
            return Err(Error::NotPdfA {
                name: name.to_string(),
                reason: crate::t!("pdf.check.pdf-2", version = doc.version),
            });
        }
        let ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
        if ids.is_empty() {
            return Err(annex(crate::t!("pdf.annex.no-pages")));
        }
        let mut pages = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            let page = read_page(&doc, *id)
                .map_err(|reason| annex(crate::t!("pdf.annex.page-unreadable", page = i + 1, reason = reason)))?;
            let mut check = Check { doc: &doc, seen: BTreeSet::new() };
            check.page(*id, &page).map_err(|reason| Error::NotPdfA {
                name: name.to_string(),
                reason: crate::t!("pdf.check.page", page = i + 1, reason = reason),
            })?;
            pages.push(page);
        }
        Ok(Source { doc, pages })
    }

    /// The number of pages.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Whether it has no pages (never: [`Source::open`] refuses that).
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// Page `i`'s width and height as displayed (rotation applied), in pt.
    pub fn size(&self, i: usize) -> (f32, f32) {
        let p = &self.pages[i];
        let (w, h) = (p.bbox[2] - p.bbox[0], p.bbox[3] - p.bbox[1]);
        if p.rotate % 180 == 0 { (w, h) } else { (h, w) }
    }
}

/// Where one source page goes: letter page `page` (0-based), in the box
/// `rect` (x, y from the bottom, width, height; pt), scaled to fit and
/// centred horizontally.
#[derive(Debug, Clone, Copy)]
pub struct Placement {
    /// The letter's page.
    pub page: usize,
    /// Which [`Source`] (index into the slice given to [`place`]).
    pub source: usize,
    /// Its page.
    pub source_page: usize,
    /// The box.
    pub rect: [f32; 4],
}

/// Copies the placed source pages into the letter krilla wrote.
///
/// # Errors
/// [`Error::Write`] if the letter cannot be read back or written (a bug).
pub fn place(letter: &[u8], sources: &[&Source], placements: &[Placement]) -> Result<Vec<u8>, Error> {
    if placements.is_empty() {
        return Ok(letter.to_vec());
    }
    let write = |what: String, e: &dyn std::fmt::Display| Error::Write(format!("{what}: {e}"));
    let mut out = Document::load_mem(letter).map_err(|e| write(crate::t!("pdf.write.read-back"), &e))?;
    let pages: Vec<ObjectId> = out.get_pages().into_values().collect();
    // One copy of a source's objects however many of its pages are placed.
    let mut copied: Vec<BTreeMap<ObjectId, ObjectId>> = vec![BTreeMap::new(); sources.len()];
    for (n, p) in placements.iter().enumerate() {
        let source = sources[p.source];
        let sp = &source.pages[p.source_page];
        let resources = copy(&source.doc, &mut out, &mut copied[p.source], &sp.resources);
        let mut form = Dictionary::new();
        form.set("Type", Object::Name(b"XObject".to_vec()));
        form.set("Subtype", Object::Name(b"Form".to_vec()));
        form.set("BBox", Object::Array(sp.bbox.iter().map(|v| Object::Real(*v)).collect()));
        form.set("Resources", resources);
        let mut stream = Stream::new(form, sp.content.clone());
        stream.compress().map_err(|e| write(crate::t!("pdf.write.compress"), &e))?;
        let form_id = out.add_object(Object::Stream(stream));

        let [a, b, c, d, e, f] = matrix(sp, p.rect, source.size(p.source_page));
        let key = format!("DsrEnc{n}");
        let draw = format!("q {a} {b} {c} {d} {e} {f} cm /{key} Do Q\n");
        let draw_id = out.add_object(Stream::new(Dictionary::new(), draw.into_bytes()));

        let page_id = *pages.get(p.page).ok_or_else(|| Error::Write(crate::t!("pdf.write.no-page", page = p.page)))?;
        add_to_page(&mut out, page_id, &key, form_id, draw_id)
            .map_err(|e| write(crate::t!("pdf.write.add-page"), &e))?;
    }
    let mut bytes = Vec::new();
    out.save_to(&mut bytes).map_err(|e| write(crate::t!("pdf.write.save"), &e))?;
    Ok(bytes)
}

/// The `cm` matrix drawing `page` (its box, rotation) scaled into `rect`.
fn matrix(page: &SourcePage, rect: [f32; 4], (dw, dh): (f32, f32)) -> [f32; 6] {
    let s = (rect[2] / dw).min(rect[3] / dh);
    let tx = rect[0] + (rect[2] - dw * s) / 2.0;
    let ty = rect[1] + rect[3] - dh * s;
    let (w, h) = (page.bbox[2] - page.bbox[0], page.bbox[3] - page.bbox[1]);
    let [a, b, c, d, e, f] = match page.rotate {
        90 => [0.0, -s, s, 0.0, tx, ty + s * w],
        180 => [-s, 0.0, 0.0, -s, tx + s * w, ty + s * h],
        270 => [0.0, s, -s, 0.0, tx + s * h, ty],
        _ => [s, 0.0, 0.0, s, tx, ty],
    };
    // The form's coordinates start at its box's corner, not at 0, 0.
    let (x0, y0) = (page.bbox[0], page.bbox[1]);
    [a, b, c, d, e - a * x0 - c * y0, f - b * x0 - d * y0]
}

/// Adds the form to the page's resources and the drawing to its content.
fn add_to_page(out: &mut Document, page_id: ObjectId, key: &str, form: ObjectId, draw: ObjectId) -> lopdf::Result<()> {
    let page = out.get_dictionary(page_id)?.clone();
    // krilla writes each page's resources as its own object or inline.
    let mut resources = match page.get(b"Resources") {
        Ok(Object::Reference(id)) => out.get_dictionary(*id)?.clone(),
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    let mut xobjects = match resources.get(b"XObject") {
        Ok(Object::Reference(id)) => out.get_dictionary(*id)?.clone(),
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    xobjects.set(key, Object::Reference(form));
    resources.set("XObject", Object::Dictionary(xobjects));
    let mut contents = match page.get(b"Contents") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(o) => vec![o.clone()],
        Err(_) => Vec::new(),
    };
    contents.push(Object::Reference(draw));
    let page = out.get_dictionary_mut(page_id)?;
    page.set("Resources", Object::Dictionary(resources));
    page.set("Contents", Object::Array(contents));
    Ok(())
}

/// Copies `obj` and every object it reaches from `src` into `out`, once
/// (`map`: source id → id in `out`); the copy with references renumbered.
fn copy(src: &Document, out: &mut Document, map: &mut BTreeMap<ObjectId, ObjectId>, obj: &Object) -> Object {
    match obj {
        Object::Reference(id) => {
            if let Some(new) = map.get(id) {
                return Object::Reference(*new);
            }
            out.max_id += 1;
            let new = (out.max_id, 0);
            map.insert(*id, new);
            let target = src.get_object(*id).cloned().unwrap_or(Object::Null);
            let copied = copy(src, out, map, &target);
            out.objects.insert(new, copied);
            Object::Reference(new)
        }
        Object::Array(items) => Object::Array(items.iter().map(|o| copy(src, out, map, o)).collect()),
        Object::Dictionary(d) => Object::Dictionary(copy_dict(src, out, map, d)),
        Object::Stream(s) => {
            let mut stream = s.clone();
            stream.dict = copy_dict(src, out, map, &s.dict);
            Object::Stream(stream)
        }
        other => other.clone(),
    }
}

fn copy_dict(src: &Document, out: &mut Document, map: &mut BTreeMap<ObjectId, ObjectId>, d: &Dictionary) -> Dictionary {
    let mut copied = Dictionary::new();
    for (k, v) in d.iter() {
        // A page's parent would pull in the source's whole page tree.
        if k.as_slice() != b"Parent" {
            copied.set(k.clone(), copy(src, out, map, v));
        }
    }
    copied
}

/// A page's box, rotation, resources and content.
fn read_page(doc: &Document, id: ObjectId) -> Result<SourcePage, String> {
    let inherited = |key: &[u8]| -> Option<Object> {
        let mut cur = id;
        for _ in 0..DEPTH {
            let d = doc.get_dictionary(cur).ok()?;
            if let Ok(v) = d.get(key) {
                return Some(resolve(doc, v).clone());
            }
            cur = d.get(b"Parent").and_then(Object::as_reference).ok()?;
        }
        None
    };
    let rect = |o: Option<Object>| -> Option<[f32; 4]> {
        let a = o?.as_array().ok()?.iter().map(|v| resolve(doc, v).as_float().ok()).collect::<Option<Vec<f32>>>()?;
        let [x0, y0, x1, y1] = <[f32; 4]>::try_from(a).ok()?;
        let r = [x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)];
        (r[2] - r[0] > 0.0 && r[3] - r[1] > 0.0).then_some(r)
    };
    let bbox = rect(inherited(b"CropBox"))
        .or_else(|| rect(inherited(b"MediaBox")))
        .ok_or_else(|| crate::t!("pdf.check.no-media-box"))?;
    let rotate = inherited(b"Rotate").and_then(|o| o.as_i64().ok()).unwrap_or(0).rem_euclid(360);
    if rotate % 90 != 0 {
        return Err(crate::t!("pdf.check.rotation", rotate = rotate));
    }
    let resources = inherited(b"Resources").unwrap_or(Object::Dictionary(Dictionary::new()));
    let page = doc.get_dictionary(id).map_err(|e| e.to_string())?;
    let streams: Vec<&Object> = match page.get(b"Contents").map(|o| resolve(doc, o)) {
        Ok(Object::Array(a)) => a.iter().collect(),
        Ok(o) => vec![o],
        Err(_) => Vec::new(),
    };
    let mut content = Vec::new();
    for s in streams {
        let stream = resolve(doc, s).as_stream().map_err(|_| crate::t!("pdf.check.content-not-a-stream"))?;
        let bytes = stream.decompressed_content_with_limit(CONTENT_LIMIT).map_err(|e| e.to_string())?;
        content.extend_from_slice(&bytes);
        content.push(b'\n');
    }
    Ok(SourcePage { bbox, rotate, resources, content })
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    let mut cur = o;
    for _ in 0..DEPTH {
        match cur {
            Object::Reference(id) => match doc.get_object(*id) {
                Ok(next) => cur = next,
                Err(_) => return &Object::Null,
            },
            _ => return cur,
        }
    }
    &Object::Null
}

/// The PDF/A-2b check of one page (see the module docs).
struct Check<'a> {
    doc: &'a Document,
    seen: BTreeSet<ObjectId>,
}

impl Check<'_> {
    fn page(&mut self, id: ObjectId, page: &SourcePage) -> Result<(), String> {
        let dict = self.doc.get_dictionary(id).map_err(|e| e.to_string())?;
        if let Ok(annots) = dict.get(b"Annots").map(|o| resolve(self.doc, o)) {
            for a in annots.as_array().map(Vec::as_slice).unwrap_or_default() {
                let subtype = resolve(self.doc, a).as_dict().ok().and_then(|d| d.get(b"Subtype").ok());
                let subtype = subtype.and_then(|s| s.as_name().ok()).unwrap_or(b"?");
                if subtype != b"Link" {
                    return Err(crate::t!("pdf.check.annotation", subtype = String::from_utf8_lossy(subtype)));
                }
            }
        }
        self.content(&page.content)?;
        self.object(&page.resources, 0)
    }

    /// Checks the operators of a content stream.
    fn content(&mut self, bytes: &[u8]) -> Result<(), String> {
        let content =
            Content::decode_strict(bytes).map_err(|e| crate::t!("pdf.check.content-unreadable", reason = e))?;
        for op in &content.operations {
            match op.operator.as_str() {
                "k" | "K" => return Err(crate::t!("pdf.check.cmyk")),
                "ri" => {
                    for o in &op.operands {
                        intent(o)?;
                    }
                }
                "BI" => match op.operands.first() {
                    Some(Object::Stream(s)) => self.inline_image(&s.dict)?,
                    _ => return Err(crate::t!("pdf.check.inline-image")),
                },
                _ => {
                    for o in &op.operands {
                        self.object(o, 0)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Checks `o` and everything it reaches.
    fn object(&mut self, o: &Object, depth: usize) -> Result<(), String> {
        if depth > DEPTH {
            return Err(crate::t!("pdf.check.too-deep"));
        }
        match o {
            Object::Reference(id) => {
                if self.seen.insert(*id) {
                    let target = self
                        .doc
                        .get_object(*id)
                        .map_err(|_| crate::t!("pdf.check.missing-object", number = id.0, generation = id.1))?;
                    self.object(target, depth + 1)?;
                }
                Ok(())
            }
            Object::Name(n) if n == b"DeviceCMYK" || n == b"CMYK" => Err(crate::t!("pdf.check.cmyk")),
            Object::Array(items) => items.iter().try_for_each(|i| self.object(i, depth + 1)),
            Object::Dictionary(d) => self.dict(d, None, depth),
            Object::Stream(s) => self.dict(&s.dict, Some(s), depth),
            _ => Ok(()),
        }
    }

    fn dict(&mut self, d: &Dictionary, stream: Option<&Stream>, depth: usize) -> Result<(), String> {
        let name = |k: &[u8]| d.get(k).ok().map(|o| resolve(self.doc, o)).and_then(|o| o.as_name().ok());
        let number = |k: &[u8]| d.get(k).ok().map(|o| resolve(self.doc, o)).and_then(|o| o.as_float().ok());
        let transparency = || Err(crate::t!("pdf.check.transparency"));
        if name(b"Type") == Some(b"Font") {
            self.font(d)?;
        }
        if let Some(sm) = d.get(b"SMask").ok().map(|o| resolve(self.doc, o))
            && sm.as_name().ok() != Some(b"None")
        {
            return transparency();
        }
        if number(b"SMaskInData").is_some_and(|v| v != 0.0) {
            return transparency();
        }
        if number(b"CA").is_some_and(|v| v < 1.0) || number(b"ca").is_some_and(|v| v < 1.0) {
            return transparency();
        }
        if let Ok(bm) = d.get(b"BM").map(|o| resolve(self.doc, o)) {
            let normal = |o: &Object| matches!(o.as_name(), Ok(b"Normal" | b"Compatible"));
            let ok = match bm {
                Object::Array(a) => a.iter().all(normal),
                o => normal(o),
            };
            if !ok {
                return transparency();
            }
        }
        let forbidden: [(&[u8], Label); 9] = [
            (b"TR", || crate::t!("pdf.check.forbidden-tr")),
            (b"HTP", || crate::t!("pdf.check.forbidden-htp")),
            (b"Alternates", || crate::t!("pdf.check.forbidden-alternates")),
            (b"OPI", || crate::t!("pdf.check.forbidden-opi")),
            (b"Ref", || crate::t!("pdf.check.forbidden-ref")),
            (b"OC", || crate::t!("pdf.check.forbidden-oc")),
            (b"JS", || crate::t!("pdf.check.forbidden-js")),
            (b"AA", || crate::t!("pdf.check.forbidden-aa")),
            (b"F", || crate::t!("pdf.check.forbidden-f")),
        ];
        for (key, what) in forbidden {
            // `F` is a stream's external file only on a stream.
            if d.get(key).is_ok() && (key != b"F" || stream.is_some()) {
                return Err(crate::t!("pdf.check.forbidden", what = what()));
            }
        }
        if let Some(tr2) = name(b"TR2")
            && tr2 != b"Default"
        {
            return Err(crate::t!("pdf.check.forbidden", what = crate::t!("pdf.check.forbidden-tr")));
        }
        if d.get(b"TR2").is_ok() && name(b"TR2").is_none() {
            return Err(crate::t!("pdf.check.forbidden", what = crate::t!("pdf.check.forbidden-tr")));
        }
        if matches!(d.get(b"Interpolate").map(|o| resolve(self.doc, o)), Ok(Object::Boolean(true))) {
            return Err(crate::t!("pdf.check.interpolate"));
        }
        if matches!(name(b"Type"), Some(b"OCG" | b"OCMD")) {
            return Err(crate::t!("pdf.check.optional-content"));
        }
        if matches!(name(b"S"), Some(b"JavaScript")) {
            return Err(crate::t!("pdf.check.forbidden", what = crate::t!("pdf.check.forbidden-js")));
        }
        if name(b"Subtype") == Some(b"PS") || name(b"Subtype2") == Some(b"PS") {
            return Err(crate::t!("pdf.check.forbidden", what = crate::t!("pdf.check.forbidden-ps")));
        }
        if let Ok(i) = d.get(b"Intent") {
            intent(resolve(self.doc, i))?;
        }
        if let Some(s) = stream {
            let filters: Vec<&[u8]> = match d.get(b"Filter").map(|o| resolve(self.doc, o)) {
                Ok(Object::Name(n)) => vec![n.as_slice()],
                Ok(Object::Array(a)) => a.iter().filter_map(|o| o.as_name().ok()).collect(),
                _ => Vec::new(),
            };
            for f in filters {
                match f {
                    b"LZWDecode" | b"LZW" => {
                        return Err(crate::t!("pdf.check.forbidden", what = crate::t!("pdf.check.forbidden-lzw")));
                    }
                    b"JPXDecode" => return Err(crate::t!("pdf.check.jpeg2000")),
                    b"Crypt" => return Err(crate::t!("pdf.check.encrypted-stream")),
                    _ => {}
                }
            }
            // The content of forms, tiling patterns and glyphs is checked too.
            let is_content = name(b"Subtype") == Some(b"Form") || number(b"PatternType") == Some(1.0);
            if is_content {
                let bytes = s.decompressed_content_with_limit(CONTENT_LIMIT).map_err(|e| e.to_string())?;
                self.content(&bytes)?;
            }
        }
        if name(b"Subtype") == Some(b"Type3")
            && let Ok(procs) = d.get(b"CharProcs").map(|o| resolve(self.doc, o)).and_then(Object::as_dict)
        {
            for (_, p) in procs.iter() {
                if let Ok(s) = resolve(self.doc, p).as_stream() {
                    let bytes = s.decompressed_content_with_limit(CONTENT_LIMIT).map_err(|e| e.to_string())?;
                    self.content(&bytes)?;
                }
            }
        }
        for (k, v) in d.iter() {
            if k.as_slice() != b"Parent" {
                self.object(v, depth + 1)?;
            }
        }
        Ok(())
    }

    /// An inline image's dictionary, with its abbreviated keys.
    fn inline_image(&mut self, d: &Dictionary) -> Result<(), String> {
        for (k, v) in d.iter() {
            let names: Vec<&[u8]> = match v {
                Object::Name(n) => vec![n.as_slice()],
                Object::Array(a) => a.iter().filter_map(|o| o.as_name().ok()).collect(),
                _ => Vec::new(),
            };
            match k.as_slice() {
                b"F" | b"Filter" if names.iter().any(|n| matches!(*n, b"LZW" | b"LZWDecode")) => {
                    return Err(crate::t!("pdf.check.forbidden", what = crate::t!("pdf.check.forbidden-lzw")));
                }
                b"I" | b"Interpolate" if matches!(v, Object::Boolean(true)) => {
                    return Err(crate::t!("pdf.check.interpolate"));
                }
                b"CS" | b"ColorSpace" => self.object(v, 0)?,
                b"Intent" => intent(v)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// A font must have its program embedded (Type 0 fonts through their
    /// descendant, Type 3 fonts are drawn by their glyph procedures).
    fn font(&self, d: &Dictionary) -> Result<(), String> {
        let get = |k: &[u8]| d.get(k).ok().map(|o| resolve(self.doc, o));
        let subtype = get(b"Subtype").and_then(|o| o.as_name().ok()).unwrap_or(b"");
        if matches!(subtype, b"Type0" | b"Type3") {
            return Ok(());
        }
        let embedded = get(b"FontDescriptor").and_then(|o| o.as_dict().ok()).is_some_and(|fd| {
            fd.get(b"FontFile").is_ok() || fd.get(b"FontFile2").is_ok() || fd.get(b"FontFile3").is_ok()
        });
        if embedded {
            Ok(())
        } else {
            let base = get(b"BaseFont").and_then(|o| o.as_name().ok()).unwrap_or(b"?");
            Err(crate::t!("pdf.check.font-not-embedded", font = String::from_utf8_lossy(base)))
        }
    }
}

/// A text in the interface language, made when it is needed.
type Label = fn() -> String;

/// PDF/A-2 allows the four standard rendering intents only.
fn intent(o: &Object) -> Result<(), String> {
    match o.as_name() {
        Ok(b"RelativeColorimetric" | b"AbsoluteColorimetric" | b"Perceptual" | b"Saturation") => Ok(()),
        _ => Err(crate::t!("pdf.check.rendering-intent")),
    }
}
