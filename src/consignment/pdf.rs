//! PDF rendering of packing slips and pro formas with `pdf-writer`.
//!
//! The PDF uses the standard Helvetica and Courier fonts every reader has, so nothing is
//! embedded and a document stays a few kilobytes. Text is written in WinAnsi (Windows-1252)
//! encoding, which those fonts use: it covers the Latin scripts of the sample retailers
//! (`Zürich`, `Straße`, `€`, `—`); any other character prints as `?`. Numbers are set in
//! Courier, whose fixed width lets columns be right-aligned without font metrics.

use super::documents::{money, DocumentData, GoodsLine};
use crate::model::Document;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const LEFT: f32 = 50.0;
const RIGHT: f32 = 545.0;
const BOTTOM: f32 = 70.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");
const MONO: Name<'static> = Name(b"F3");
/// Courier advances 600/1000 em per character.
const MONO_ADVANCE: f32 = 0.6;

/// Characters of Windows-1252 outside Latin-1, at 0x80..=0x9F.
const CP1252_EXTRA: [(char, u8); 27] = [
    ('€', 0x80),
    ('‚', 0x82),
    ('ƒ', 0x83),
    ('„', 0x84),
    ('…', 0x85),
    ('†', 0x86),
    ('‡', 0x87),
    ('ˆ', 0x88),
    ('‰', 0x89),
    ('Š', 0x8A),
    ('‹', 0x8B),
    ('Œ', 0x8C),
    ('Ž', 0x8E),
    ('‘', 0x91),
    ('’', 0x92),
    ('“', 0x93),
    ('”', 0x94),
    ('•', 0x95),
    ('–', 0x96),
    ('—', 0x97),
    ('˜', 0x98),
    ('™', 0x99),
    ('š', 0x9A),
    ('›', 0x9B),
    ('œ', 0x9C),
    ('ž', 0x9E),
    ('Ÿ', 0x9F),
];

/// Text in the WinAnsi encoding of the standard fonts; unmappable characters become `?`.
pub(crate) fn winansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| {
            let code = u32::from(c);
            if (0x20..0x7F).contains(&code) || (0xA0..=0xFF).contains(&code) {
                u8::try_from(code).unwrap_or(b'?')
            } else {
                CP1252_EXTRA
                    .iter()
                    .find(|(ch, _)| *ch == c)
                    .map(|(_, b)| *b)
                    .unwrap_or(b'?')
            }
        })
        .collect()
}

/// At most `max` characters, with `...` when cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(3)).collect();
        s.push_str("...");
        s
    }
}

struct Writer {
    done: Vec<Content>,
    current: Content,
    y: f32,
}

impl Writer {
    fn page(&mut self) -> &mut Content {
        &mut self.current
    }

    fn new_page(&mut self) {
        let full = std::mem::replace(&mut self.current, Content::new());
        self.done.push(full);
        self.y = HEIGHT - 60.0;
    }

    fn into_pages(mut self) -> Vec<Content> {
        self.done.push(self.current);
        self.done
    }

    fn text(&mut self, font: Name<'static>, size: f32, x: f32, text: &str) {
        let y = self.y;
        let bytes = winansi(text);
        self.page()
            .begin_text()
            .set_font(font, size)
            .next_line(x, y)
            .show(Str(&bytes))
            .end_text();
    }

    /// Right-aligned number in Courier ending at `right`.
    fn number(&mut self, size: f32, right: f32, text: &str) {
        let width = text.chars().count() as f32 * MONO_ADVANCE * size;
        self.text(MONO, size, right - width, text);
    }

    fn rule(&mut self) {
        let y = self.y;
        self.page()
            .set_line_width(0.5)
            .move_to(LEFT, y)
            .line_to(RIGHT, y)
            .stroke();
    }
}

struct Columns {
    /// (header, x, right-aligned)
    cols: Vec<(&'static str, f32, bool)>,
    description_chars: usize,
}

fn columns(pro_forma: bool) -> Columns {
    if pro_forma {
        Columns {
            cols: vec![
                ("Line", LEFT, false),
                ("SKU", 80.0, false),
                ("Description", 150.0, false),
                ("HS code", 290.0, false),
                ("Origin", 350.0, false),
                ("Qty", 430.0, true),
                ("Unit value", 487.0, true),
                ("Value", RIGHT, true),
            ],
            description_chars: 26,
        }
    } else {
        Columns {
            cols: vec![
                ("Line", LEFT, false),
                ("SKU", 90.0, false),
                ("Description", 190.0, false),
                ("Qty", RIGHT, true),
            ],
            description_chars: 60,
        }
    }
}

fn header_row(w: &mut Writer, cols: &Columns) {
    for &(name, x, right) in &cols.cols {
        if right {
            // Bold Helvetica has no fixed width: right-align the header approximately.
            let approx = name.chars().count() as f32 * 0.56 * 9.0;
            w.text(BOLD, 9.0, x - approx, name);
        } else {
            w.text(BOLD, 9.0, x, name);
        }
    }
    w.y -= 5.0;
    w.rule();
    w.y -= 13.0;
}

fn goods_row(w: &mut Writer, cols: &Columns, l: &GoodsLine, pro_forma: bool) {
    w.text(REGULAR, 9.0, LEFT, &clip(&l.line, 5));
    let sku_x = cols.cols.get(1).map(|c| c.1).unwrap_or(90.0);
    let desc_x = cols.cols.get(2).map(|c| c.1).unwrap_or(190.0);
    w.text(
        REGULAR,
        9.0,
        sku_x,
        &clip(&l.sku, if pro_forma { 12 } else { 18 }),
    );
    w.text(
        REGULAR,
        9.0,
        desc_x,
        &clip(&l.description, cols.description_chars),
    );
    let qty = l.qty.to_string();
    if pro_forma {
        w.text(REGULAR, 9.0, 290.0, &clip(&l.hs_code, 10));
        w.text(REGULAR, 9.0, 350.0, &clip(&l.origin, 6));
        w.number(9.0, 430.0, &qty);
        w.number(9.0, 487.0, &money(l.unit_value));
        w.number(9.0, RIGHT, &money(l.value));
    } else {
        w.number(9.0, RIGHT, &qty);
    }
}

/// A PDF of the document: one A4 page, more when the lines do not fit.
pub(crate) fn render(d: &DocumentData) -> Vec<u8> {
    let pro_forma = d.document == Document::ProForma;
    let mut w = Writer {
        done: Vec::new(),
        current: Content::new(),
        y: HEIGHT - 60.0,
    };
    w.text(BOLD, 20.0, LEFT, d.title);
    w.y -= 22.0;
    for n in &d.notices {
        w.text(BOLD, 10.0, LEFT, n);
        w.y -= 14.0;
    }
    w.y -= 4.0;
    w.text(
        REGULAR,
        10.0,
        LEFT,
        &format!(
            "No. {}    Date {}    Order {}    Shipment {} of {}",
            d.number, d.date, d.order, d.shipment, d.shipments
        ),
    );
    w.y -= 26.0;
    let top = w.y;
    let mut lowest = top;
    for (i, (label, party)) in [
        ("Supplier", &d.supplier),
        ("Ship from", &d.ship_from),
        ("Ship to", &d.ship_to),
    ]
    .into_iter()
    .enumerate()
    {
        let x = LEFT + 170.0 * i as f32;
        w.y = top;
        w.text(BOLD, 9.0, x, label);
        w.y -= 13.0;
        w.text(BOLD, 9.0, x, &clip(&party.name, 34));
        for line in party.lines.iter().take(7) {
            w.y -= 11.0;
            w.text(REGULAR, 9.0, x, &clip(line, 36));
        }
        lowest = lowest.min(w.y);
    }
    w.y = lowest - 18.0;
    if let Some(vat) = &d.supplier_vat {
        w.text(REGULAR, 9.0, LEFT, &format!("Supplier VAT id: {vat}"));
        w.y -= 20.0;
    }
    let cols = columns(pro_forma);
    header_row(&mut w, &cols);
    for line in &d.lines {
        if w.y < BOTTOM {
            w.new_page();
            header_row(&mut w, &cols);
        }
        goods_row(&mut w, &cols, line, pro_forma);
        w.y -= 13.0;
    }
    if pro_forma {
        w.rule();
        w.y -= 13.0;
        w.text(
            BOLD,
            9.0,
            LEFT,
            &format!("Total value for customs ({})", d.currency),
        );
        w.number(9.0, RIGHT, &money(d.total_value));
    }

    let contents = w.into_pages();
    let pages = contents.len();
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let info = Ref::new(3);
    let fonts = [
        (REGULAR, Ref::new(4), "Helvetica"),
        (BOLD, Ref::new(5), "Helvetica-Bold"),
        (MONO, Ref::new(6), "Courier"),
    ];
    let first_page = 7;
    let page_refs: Vec<Ref> = (0..pages)
        .map(|i| Ref::new(first_page + 2 * i32::try_from(i).unwrap_or(0)))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_refs.iter().copied())
        .count(i32::try_from(pages).unwrap_or(1));
    pdf.document_info(info)
        .title(TextStr(&format!("{} {}", d.title, d.number)))
        .producer(TextStr(concat!("stockroute ", env!("CARGO_PKG_VERSION"))));
    for (_, id, base) in fonts {
        pdf.type1_font(id)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    for (i, (mut content, page_ref)) in contents.into_iter().zip(page_refs.iter()).enumerate() {
        let footer = winansi(&format!(
            "{}  \u{b7}  page {} of {}",
            d.number,
            i + 1,
            pages
        ));
        content
            .begin_text()
            .set_font(REGULAR, 8.0)
            .next_line(LEFT, 40.0)
            .show(Str(&footer))
            .end_text();
        let content_ref = Ref::new(page_ref.get() + 1);
        let mut page = pdf.page(*page_ref);
        page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
        page.parent(tree);
        page.contents(content_ref);
        {
            let mut resources = page.resources();
            let mut f = resources.fonts();
            for (name, id, _) in fonts {
                f.pair(name, id);
            }
            f.finish();
        }
        page.finish();
        pdf.stream(content_ref, &content.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winansi_covers_the_sample_retailers_and_replaces_the_rest() {
        assert_eq!(winansi("Zürich"), b"Z\xfcrich");
        assert_eq!(winansi("Straße"), b"Stra\xdfe");
        assert_eq!(winansi("€ — ok"), b"\x80 \x97 ok");
        assert_eq!(winansi("東京"), b"??");
    }

    #[test]
    fn clip_keeps_short_text_and_marks_cuts() {
        assert_eq!(clip("tent", 10), "tent");
        assert_eq!(clip("a very long description", 10), "a very ...");
    }
}
