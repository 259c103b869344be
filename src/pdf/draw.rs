//! Writes laid-out pages as PDF with krilla: fonts subset and embedded, every glyph mapped
//! back to its characters so copying and `pdftotext` return the text as written.

use chrono::Datelike;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;

use super::fonts::Fonts;
use super::layout::{leading, Item, Page, BOTTOM, LEFT, PAGE_H, PAGE_W, RIGHT, TOP};
use super::text::{lay_out, Line};
use super::{Document, PdfError, Span};

const FURNITURE_SIZE: f32 = 8.0;

pub(crate) fn write(fonts: &Fonts, doc: &Document, pages: &[Page]) -> Result<Vec<u8>, PdfError> {
    let mut pdf = krilla::Document::new();
    let mut meta = Metadata::new()
        .title(doc.title.clone())
        .language(doc.language.clone())
        .creator("DSAR desk".to_string());
    if let Some(d) = doc.date {
        let (Ok(year), Ok(month), Ok(day)) = (u16::try_from(d.year()), u8::try_from(d.month()), u8::try_from(d.day())) else {
            return Err(PdfError::Writer("date out of range".into()));
        };
        meta = meta.creation_date(DateTime::new(year).month(month).day(day));
    }
    pdf.set_metadata(meta);
    let header = first_line(fonts, &doc.header);
    let total = pages.len();
    for (n, page) in pages.iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| PdfError::Writer("page size".into()))?;
        let mut p = pdf.start_page_with(settings);
        let mut s = p.surface();
        furniture(fonts, &mut s, header.as_ref(), &doc.page_label, n + 1, total);
        for item in &page.items {
            match item {
                Item::Text { x, top, line, size } => draw_line(fonts, &mut s, *x, *top, line, *size, None),
                Item::Shade { x, y, w, h } => rect(&mut s, *x, *y, *w, *h, Some(242), None),
                Item::Frame { x, y, w, h } => rect(&mut s, *x, *y, *w, *h, None, Some(150)),
            }
        }
        s.finish();
        p.finish();
    }
    pdf.finish().map_err(|e| PdfError::Writer(format!("{e:?}").chars().take(120).collect()))
}

/// The running header (left) with a rule under it, and the page label centred at the foot.
fn furniture(fonts: &Fonts, s: &mut Surface<'_>, header: Option<&Line>, label: &str, page: usize, pages: usize) {
    if let Some(h) = header {
        draw_line(fonts, s, LEFT, TOP - 30.0, h, FURNITURE_SIZE, Some(90));
        rect(s, LEFT, TOP - 16.0, RIGHT - LEFT, 0.0, None, Some(170));
    }
    let text = label.replace("{page}", &page.to_string()).replace("{pages}", &pages.to_string());
    if let Some(l) = first_line(fonts, &text) {
        let x = LEFT + ((RIGHT - LEFT) - l.width) / 2.0;
        draw_line(fonts, s, x, BOTTOM + 26.0, &l, FURNITURE_SIZE, Some(90));
    }
}

fn first_line(fonts: &Fonts, text: &str) -> Option<Line> {
    lay_out(fonts, &[Span::plain(text)], FURNITURE_SIZE, RIGHT - LEFT, false).into_iter().next()
}

fn draw_line(fonts: &Fonts, s: &mut Surface<'_>, x: f32, top: f32, line: &Line, size: f32, grey: Option<u8>) {
    // DejaVu's ascender is 0.93 em; the baseline sits that far below the line's top.
    let baseline = top + size * 0.93 + (leading(size) - size * 1.164) / 2.0;
    let g = grey.unwrap_or(0);
    s.set_fill(Some(Fill { paint: rgb::Color::new(g, g, g).into(), opacity: NormalizedF32::ONE, rule: Default::default() }));
    s.set_stroke(None);
    let mut cursor = x;
    for run in &line.runs {
        let font = fonts.font(run.font).pdf.clone();
        s.draw_glyphs(Point::from_xy(cursor, baseline), &run.glyphs, font, &run.text, run.size, false);
        cursor += run.width;
    }
}

fn rect(s: &mut Surface<'_>, x: f32, y: f32, w: f32, h: f32, fill: Option<u8>, stroke: Option<u8>) {
    let mut pb = PathBuilder::new();
    if h <= 0.0 {
        pb.move_to(x, y);
        pb.line_to(x + w, y);
    } else if let Some(r) = Rect::from_xywh(x, y, w, h) {
        pb.push_rect(r);
    }
    let Some(path) = pb.finish() else { return };
    s.set_fill(fill.map(|g| Fill { paint: rgb::Color::new(g, g, g).into(), opacity: NormalizedF32::ONE, rule: Default::default() }));
    s.set_stroke(stroke.map(|g| Stroke { paint: rgb::Color::new(g, g, g).into(), width: 0.5, ..Default::default() }));
    s.draw_path(&path);
}
