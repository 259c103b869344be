//! Flows blocks down A4 pages: where each line, shaded box and rule goes, and where pages
//! break (headings stay with what follows, table header rows repeat after a break).

use super::fonts::Fonts;
use super::text::{lay_out, Line};
use super::{Block, Document, Row, Span, Table, TableStyle};

pub(crate) const PAGE_W: f32 = 595.28;
pub(crate) const PAGE_H: f32 = 841.89;
/// 25 mm left (filing margin), 20 mm right.
pub(crate) const LEFT: f32 = 70.87;
pub(crate) const RIGHT: f32 = PAGE_W - 56.69;
/// Body area between the running header and the footer.
pub(crate) const TOP: f32 = 76.0;
pub(crate) const BOTTOM: f32 = PAGE_H - 64.0;
pub(crate) const BODY_SIZE: f32 = 10.0;

/// Line height for a font size.
pub(crate) fn leading(size: f32) -> f32 {
    size * 1.38
}

/// Something placed on a page; `top` is the top of a line box, y grows downwards.
pub(crate) enum Item {
    Text { x: f32, top: f32, line: Line, size: f32 },
    /// A light grey box behind a header row.
    Shade { x: f32, y: f32, w: f32, h: f32 },
    /// A cell border.
    Frame { x: f32, y: f32, w: f32, h: f32 },
}

#[derive(Default)]
pub(crate) struct Page {
    pub items: Vec<Item>,
}

/// Lays the document's blocks onto as many pages as they need (at least one).
pub(crate) fn paginate(fonts: &Fonts, doc: &Document) -> Vec<Page> {
    let mut flow = Flow { fonts, pages: vec![Page::default()], y: TOP };
    for block in &doc.blocks {
        match block {
            Block::Heading { level, text } => flow.heading(*level, text),
            Block::Paragraph(spans) => flow.paragraph(spans),
            Block::List(items) => flow.list(items),
            Block::Table(t) => flow.table(t),
        }
    }
    flow.pages
}

struct Flow<'a> {
    fonts: &'a Fonts,
    pages: Vec<Page>,
    y: f32,
}

/// A table row with its cells laid out.
struct LaidRow {
    cells: Vec<(f32, f32, Vec<Line>)>,
    header: bool,
    lines: usize,
}

impl Flow<'_> {
    fn push(&mut self, item: Item) {
        if let Some(p) = self.pages.last_mut() {
            p.items.push(item);
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = TOP;
    }

    fn room(&self) -> f32 {
        BOTTOM - self.y
    }

    fn at_top(&self) -> bool {
        self.y <= TOP + 0.01
    }

    fn space(&mut self, h: f32) {
        if !self.at_top() {
            self.y += h;
        }
    }

    fn lines(&mut self, lines: Vec<Line>, x: f32, size: f32) {
        let lead = leading(size);
        for line in lines {
            if self.room() < lead {
                self.new_page();
            }
            self.push(Item::Text { x, top: self.y, line, size });
            self.y += lead;
        }
    }

    fn heading(&mut self, level: u8, text: &[Span]) {
        let size = match level {
            1 => 11.5,
            2 => 11.0,
            _ => BODY_SIZE,
        };
        self.space(if level == 1 { 6.0 } else { 8.0 });
        let lines = lay_out(self.fonts, text, size, RIGHT - LEFT, true);
        // A heading alone at the foot of a page reads as a mistake: keep it with two lines.
        let needed = lines.len() as f32 * leading(size) + 2.0 * leading(BODY_SIZE);
        if self.room() < needed && !self.at_top() {
            self.new_page();
        }
        self.lines(lines, LEFT, size);
        self.y += 3.0;
    }

    fn paragraph(&mut self, spans: &[Span]) {
        let lines = lay_out(self.fonts, spans, BODY_SIZE, RIGHT - LEFT, false);
        if lines.len() > 1 && self.room() < 2.0 * leading(BODY_SIZE) {
            self.new_page();
        }
        self.lines(lines, LEFT, BODY_SIZE);
        self.y += 6.0;
    }

    fn list(&mut self, items: &[Vec<Span>]) {
        let indent = 14.0;
        for item in items {
            let lines = lay_out(self.fonts, item, BODY_SIZE, RIGHT - LEFT - indent, false);
            if self.room() < leading(BODY_SIZE) {
                self.new_page();
            }
            let bullet = lay_out(self.fonts, &[Span::plain("•")], BODY_SIZE, indent, false);
            let top = self.y;
            for b in bullet {
                self.push(Item::Text { x: LEFT + 3.0, top, line: b, size: BODY_SIZE });
            }
            self.lines(lines, LEFT + indent, BODY_SIZE);
            self.y += 2.0;
        }
        self.y += 4.0;
    }

    fn table(&mut self, t: &Table) {
        let columns = t.widths.len().max(1);
        let total: f32 = t.widths.iter().copied().filter(|w| *w > 0.0).sum();
        let fraction = |i: usize| -> f32 {
            match t.widths.get(i) {
                Some(w) if total > 0.0 && *w > 0.0 => w / total,
                _ => 1.0 / columns as f32,
            }
        };
        let mut xs = vec![LEFT];
        for i in 0..columns {
            let last = xs[i];
            xs.push(last + fraction(i) * (RIGHT - LEFT));
        }
        let grid = t.style == TableStyle::Grid;
        let (pad_x, pad_y, gap) = if grid { (4.0, 3.0, 0.0) } else { (0.0, 0.0, 12.0) };
        let lead = leading(BODY_SIZE);
        let rows: Vec<LaidRow> = t.rows.iter().map(|r| self.lay_row(r, &xs, pad_x, gap)).collect();
        let repeat = rows.first().filter(|r| r.header).map(|_| 0usize);
        self.y += 2.0;
        for (i, row) in rows.iter().enumerate() {
            let height = row.lines as f32 * lead + 2.0 * pad_y;
            // A header row never ends a page: it stays with (the start of) the next row.
            let next = match rows.get(i + 1) {
                Some(n) if row.header => (n.lines.min(3) as f32) * lead + 2.0 * pad_y,
                _ => 0.0,
            };
            if height + next > self.room() && !self.at_top() && height + next <= BOTTOM - TOP {
                self.new_page();
                if let Some(h) = repeat.filter(|&h| h != i) {
                    self.draw_row(&rows[h], 0, rows[h].lines, pad_x, pad_y, grid);
                }
            }
            // Rows taller than the room left are split between lines.
            let mut from = 0;
            while from < row.lines.max(1) {
                let fit = (((self.room() - 2.0 * pad_y) / lead).floor().max(0.0)) as usize;
                if fit == 0 {
                    self.new_page();
                    if let Some(h) = repeat.filter(|&h| h != i) {
                        self.draw_row(&rows[h], 0, rows[h].lines, pad_x, pad_y, grid);
                    }
                    continue;
                }
                let to = (from + fit).min(row.lines.max(1));
                self.draw_row(row, from, to, pad_x, pad_y, grid);
                from = to;
            }
        }
        self.y += 8.0;
    }

    fn lay_row(&self, row: &Row, xs: &[f32], pad_x: f32, gap: f32) -> LaidRow {
        let columns = xs.len() - 1;
        let mut col = 0;
        let mut cells = Vec::new();
        for (k, cell) in row.cells.iter().enumerate() {
            if col >= columns {
                break;
            }
            // The last cell of a row takes the rest of the width.
            let span = if k + 1 == row.cells.len() { columns - col } else { cell.colspan.clamp(1, columns - col) };
            let x = xs[col];
            let w = xs[col + span] - x;
            let right_gap = if col + span < columns { gap } else { 0.0 };
            let lines = lay_out(self.fonts, &cell.content, BODY_SIZE, (w - 2.0 * pad_x - right_gap).max(20.0), row.header);
            cells.push((x, w, lines));
            col += span;
        }
        let lines = cells.iter().map(|(_, _, l)| l.len()).max().unwrap_or(0);
        LaidRow { cells, header: row.header, lines }
    }

    /// Draws lines `from..to` of every cell of a row at the current position.
    fn draw_row(&mut self, row: &LaidRow, from: usize, to: usize, pad_x: f32, pad_y: f32, grid: bool) {
        let lead = leading(BODY_SIZE);
        let height = (to - from).max(1) as f32 * lead + 2.0 * pad_y;
        let top = self.y;
        if grid && row.header {
            let x = row.cells.first().map_or(LEFT, |c| c.0);
            let w: f32 = row.cells.iter().map(|c| c.1).sum();
            self.push(Item::Shade { x, y: top, w, h: height });
        }
        for (x, w, lines) in &row.cells {
            if grid {
                self.push(Item::Frame { x: *x, y: top, w: *w, h: height });
            }
            let end = to.min(lines.len());
            if from >= end {
                continue;
            }
            for (k, line) in lines[from..end].iter().enumerate() {
                let item = Item::Text { x: x + pad_x, top: top + pad_y + k as f32 * lead, line: line.clone(), size: BODY_SIZE };
                self.push(item);
            }
        }
        self.y = top + height;
    }
}
