//! The fonts every letter embeds (DejaVu Sans regular and bold, Symbola for emoji and symbols),
//! compiled into the binary so a letter looks the same on every machine.

use std::sync::OnceLock;

use rustybuzz::Face;

use super::PdfError;

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
static SYMBOLS: &[u8] = include_bytes!("../../assets/fonts/Symbola.ttf");

/// Which of the embedded fonts a run of text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FontId {
    Regular,
    Bold,
    /// Fallback for characters DejaVu lacks (emoji, pictographs).
    Symbols,
}

/// A parsed font: the shaper's view and the PDF writer's view of the same bytes.
pub(crate) struct LoadedFont {
    pub face: Face<'static>,
    pub pdf: krilla::text::Font,
    /// Font units per em, to scale advances to points.
    pub upem: f32,
}

pub(crate) struct Fonts {
    regular: LoadedFont,
    bold: LoadedFont,
    symbols: LoadedFont,
}

impl Fonts {
    /// The fonts, parsed once per process (parsing costs more than a whole letter's layout).
    pub(crate) fn get() -> Result<&'static Fonts, PdfError> {
        static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
        FONTS
            .get_or_init(|| {
                Some(Fonts {
                    regular: load(REGULAR)?,
                    bold: load(BOLD)?,
                    symbols: load(SYMBOLS)?,
                })
            })
            .as_ref()
            .ok_or(PdfError::Font)
    }

    pub(crate) fn font(&self, id: FontId) -> &LoadedFont {
        match id {
            FontId::Regular => &self.regular,
            FontId::Bold => &self.bold,
            FontId::Symbols => &self.symbols,
        }
    }

    /// The font that draws `c` in the given weight: DejaVu when it has the glyph, else the
    /// symbol font when it has it, else DejaVu (which then shows its "missing" box; the text
    /// still extracts, because the PDF maps the box back to the character).
    pub(crate) fn pick(&self, c: char, bold: bool) -> FontId {
        let primary = if bold { FontId::Bold } else { FontId::Regular };
        if self.font(primary).face.glyph_index(c).is_some() {
            primary
        } else if self.symbols.face.glyph_index(c).is_some() {
            FontId::Symbols
        } else {
            primary
        }
    }

    /// Horizontal advance of `c` in points, without kerning (for line breaking only; drawn
    /// text is shaped properly).
    pub(crate) fn advance(&self, id: FontId, c: char, size: f32) -> f32 {
        let f = self.font(id);
        let gid = f.face.glyph_index(c).unwrap_or(rustybuzz::ttf_parser::GlyphId(0));
        f32::from(f.face.glyph_hor_advance(gid).unwrap_or(0)) * size / f.upem
    }
}

fn load(bytes: &'static [u8]) -> Option<LoadedFont> {
    let face = Face::from_slice(bytes, 0)?;
    let upem = face.units_per_em() as f32;
    let pdf = krilla::text::Font::new(krilla::Data::from(bytes), 0)?;
    Some(LoadedFont { face, pdf, upem })
}
