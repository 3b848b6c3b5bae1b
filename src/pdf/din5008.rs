//! DIN 5008 Form B geometry of an A4 business letter, in millimetres from
//! the top left corner of the page.
//!
//! Form B is the layout with the taller header (the address field 45 mm
//! from the top); its address field sits behind the window of a DL or C6/5
//! window envelope (DIN 680: window 90 × 45 mm, 20 mm from the left edge,
//! 15 mm from the bottom of the envelope) when the page is folded at the
//! two fold marks. Figures as the standard is commonly quoted (DIN
//! 5008:2020, Form B); `tests/e2e/post.rs` checks with an independent
//! tool that the recipient's words lie inside [`ADDRESS_FIELD`].

/// The page width (A4).
pub const WIDTH: f32 = 210.0;
/// The page height (A4).
pub const HEIGHT: f32 = 297.0;
/// The address field: x, y, width, height.
pub const ADDRESS_FIELD: [f32; 4] = [20.0, 45.0, 85.0, 45.0];
/// The upper zone of the address field (return line, postal notes) is this high.
pub const NOTE_ZONE: f32 = 17.7;
/// The recipient's lines start here (the field's lower zone, 27.3 mm high).
pub const RECIPIENT_TOP: f32 = 45.0 + NOTE_ZONE;
/// The baseline of the return line, at the foot of the upper zone.
pub const RETURN_LINE_Y: f32 = 45.0 + NOTE_ZONE - 3.0;
/// The information block (date, reference, deadline): x, y, width, height.
pub const INFO_BLOCK: [f32; 4] = [125.0, 50.0, 75.0, 40.0];
/// The left edge of the text.
pub const LEFT: f32 = 25.0;
/// The right edge of the text (a 20 mm margin).
pub const RIGHT: f32 = 190.0;
/// Where the subject line of page 1 starts.
pub const BODY_TOP: f32 = 98.46;
/// Where the text of later pages starts.
pub const TOP: f32 = 25.0;
/// No line's baseline lies below this (a 25 mm bottom margin).
pub const BOTTOM: f32 = 272.0;
/// The baseline of the page number.
pub const FOOTER_Y: f32 = 285.0;
/// Fold marks (for a DL envelope: thirds of 105 mm).
pub const FOLD_MARKS: [f32; 2] = [105.0, 210.0];
/// The punch mark: the middle of the page.
pub const PUNCH_MARK: f32 = 148.5;
/// The letter text's size in points.
pub const BODY_SIZE: f32 = 11.0;
/// The recipient's, the information block's and the page number's size.
pub const ADDRESS_SIZE: f32 = 10.0;
/// The return line's size.
pub const RETURN_SIZE: f32 = 7.0;
/// The distance of two lines of letter text, in mm (11 pt at 1.25).
pub const LINE: f32 = 11.0 * 1.25 * 25.4 / 72.0;
