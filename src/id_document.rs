//! Which files look like identity documents (ID cards, passports, driving
//! licences), so that none leaves by accident.
//!
//! Demanding or sending copies of identity documents by default is
//! disproportionate (Art. 12(6) GDPR; EDPB Guidelines 01/2022 on the right
//! of access, paras. 69-78): dsr refuses to attach one unless the
//! company's policy asks for it and the user confirms (`request`). A file
//! counts as an identity document when the user declares it one
//! (`--id-document`), when its name says so (`ausweis-scan.jpg`,
//! `passport.pdf`), or when it is an image whose name has a short token
//! such as `id` or `perso` (`id_front.png`). A leaf: names and bytes in,
//! a yes or no out.
//!
//! ```
//! use dsr::id_document::looks_like_one;
//! assert!(looks_like_one("ausweis-scan.jpg", b""));
//! assert!(looks_like_one("ID_front.png", b"\x89PNG\r\n\x1a\n"));
//! assert!(!looks_like_one("id_front.txt", b"notes"));
//! assert!(!looks_like_one("mandate.pdf", b"%PDF-1.7"));
//! ```

/// Parts of a file name that mean an identity document, in any file.
const WORDS: &[&str] = &[
    "ausweis",
    "passport",
    "reisepass",
    "id-card",
    "idcard",
    "id_card",
    "identity-card",
    "identity_card",
    "identitycard",
    "identitaetskarte",
    "identitätskarte",
    "führerschein",
    "fuehrerschein",
    "driving",
    "drivers-licen",
    "carte-identite",
    "carte_identite",
    "personalausweis",
];

/// Whole tokens of a file name (split at anything but letters and digits)
/// that mean an identity document when the file is an image.
const IMAGE_TOKENS: &[&str] =
    &["id", "perso", "pass", "passport", "licence", "license", "dni", "nie", "cni", "cin", "idkarte", "pa"];

/// True when the file named `name` with content `bytes` looks like an
/// identity document (see the module docs).
pub fn looks_like_one(name: &str, bytes: &[u8]) -> bool {
    let lower = name.to_lowercase();
    if WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    is_image(&lower, bytes) && lower.split(|c: char| !c.is_alphanumeric()).any(|t| IMAGE_TOKENS.contains(&t))
}

/// An image by its first bytes (JPEG, PNG, GIF, TIFF, WebP, HEIC) or, for
/// an empty or unread file, by its extension.
fn is_image(lower_name: &str, bytes: &[u8]) -> bool {
    let magic = bytes.starts_with(b"\xff\xd8\xff")
        || bytes.starts_with(b"\x89PNG")
        || bytes.starts_with(b"GIF8")
        || bytes.starts_with(b"II*\0")
        || bytes.starts_with(b"MM\0*")
        || (bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP")
        || (bytes.len() >= 12 && &bytes[4..8] == b"ftyp" && matches!(&bytes[8..12], b"heic" | b"heix" | b"mif1"));
    let ext = lower_name.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
    magic || (bytes.is_empty() && matches!(ext, "jpg" | "jpeg" | "png" | "gif" | "tif" | "tiff" | "webp" | "heic"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_types() {
        for name in
            ["ausweis-scan.jpg", "Personalausweis.pdf", "passport-2026.png", "Fuehrerschein.heic", "reisepass.tif"]
        {
            assert!(looks_like_one(name, b""), "{name}");
        }
        let jpeg = b"\xff\xd8\xff\xe0\0\x10JFIF";
        assert!(looks_like_one("perso_vorne.jpeg", jpeg));
        assert!(looks_like_one("scan-id.bin", jpeg), "an image by its bytes, whatever the extension");
        assert!(!looks_like_one("scan-id.txt", b"a note"), "a text file named id is not an image");
        assert!(!looks_like_one("identity-verification.txt", b"x"));
        assert!(!looks_like_one("invoice-2026.pdf", b"%PDF-1.7"));
        assert!(!looks_like_one("holiday-photo.jpg", jpeg));
    }
}
