//! A4 PDF from a small layout model — headings, paragraphs, lists and tables flowing across
//! pages under a running header (the case reference) and a "page N of M" footer. Letters
//! build a [`Document`] and never touch PDF primitives.
//!
//! - `fonts.rs`: the embedded fonts and per-character fallback.
//! - `text.rs`: line breaking by glyph widths, bidi reordering, shaping.
//! - `layout.rs`: blocks to positioned lines and boxes, page by page.
//! - `draw.rs`: the pages to PDF bytes (krilla: subset fonts, text that extracts intact).

mod draw;
mod fonts;
mod layout;
mod text;

use chrono::NaiveDate;

/// Something the PDF could not be made from; not the user's fault unless stated.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// An embedded font failed to load: the program was built from damaged files.
    #[error("an embedded font cannot be read: reinstall DSAR desk")]
    Font,
    /// The PDF writer refused the content.
    #[error("the PDF could not be written ({0}); please report this with the letter kind")]
    Writer(String),
}

/// A document to print: metadata, page furniture and the flowing content.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Title in the PDF's metadata (the letter's subject line).
    pub title: String,
    /// Language tag of the text (`de`, `en`, `nl`), for metadata and screen readers.
    pub language: String,
    /// Running header on every page, e.g. the controller and the case reference.
    pub header: String,
    /// Footer on every page; `{page}` and `{pages}` are replaced by the numbers.
    pub page_label: String,
    /// Creation date recorded in the metadata (a parameter, so equal input gives equal bytes).
    pub date: Option<NaiveDate>,
    /// The content, top to bottom.
    pub blocks: Vec<Block>,
}

/// A piece of flowing content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading: level 1 is the letter's subject line, 2 a section, 3 a sub-section. Kept
    /// on the same page as the start of what follows.
    Heading {
        /// 1, 2 or 3.
        level: u8,
        /// The words.
        text: Vec<Span>,
    },
    /// A paragraph of running text.
    Paragraph(Vec<Span>),
    /// A bulleted list, one entry per item.
    List(Vec<Vec<Span>>),
    /// A table.
    Table(Table),
}

/// Text in one weight. A `\n` inside is a line break.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The characters, printed as they are (never interpreted).
    pub text: String,
    /// Bold.
    pub bold: bool,
}

impl Span {
    /// Regular text.
    pub fn plain(text: impl Into<String>) -> Span {
        Span { text: text.into(), bold: false }
    }

    /// Bold text.
    pub fn bold(text: impl Into<String>) -> Span {
        Span { text: text.into(), bold: true }
    }
}

/// A table: relative column widths and rows of cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Relative widths, one per column (e.g. `[30.0, 70.0]`).
    pub widths: Vec<f32>,
    /// Ruled grid with shaded header rows, or plain (no lines; for the letterhead).
    pub style: TableStyle,
    /// Rows, top to bottom. A header row at the top repeats after a page break.
    pub rows: Vec<Row>,
}

/// How a table is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableStyle {
    /// Ruled cells, shaded header rows.
    Grid,
    /// No rules: columns of text.
    Plain,
}

/// A table row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Cells, left to right.
    pub cells: Vec<Cell>,
    /// A header row: bold and shaded.
    pub header: bool,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The content.
    pub content: Vec<Span>,
    /// Columns it spans (at least 1).
    pub colspan: usize,
}

/// Lays out and writes the document as an A4 PDF with embedded, subset fonts.
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts::Fonts::get()?;
    let pages = layout::paginate(fonts, doc);
    draw::write(fonts, doc, &pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_document_breaks_into_numbered_pages() {
        let blocks = (0..200).map(|i| Block::Paragraph(vec![Span::plain(format!("Absatz {i}: Grüße, ä ö ü ß € ĳ."))])).collect();
        let doc = Document { title: "T".into(), language: "de".into(), header: "Kopf".into(), page_label: "Seite {page} von {pages}".into(), date: None, blocks };
        let fonts = fonts::Fonts::get().unwrap();
        let pages = layout::paginate(fonts, &doc);
        assert!(pages.len() > 3, "{} pages", pages.len());
        let pdf = render(&doc).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
