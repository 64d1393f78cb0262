//! Packing slips and pro formas, rendered from a plan's shipment, the order and the
//! inventory as HTML and PDF.
//!
//! Only the documents a shipment lists are rendered, and only those stockroute can produce:
//! packing slip and pro forma. A shipping label comes from the carrier and an invoice (own
//! shipments only) from the supplier's invoicing system; both are listed as
//! `not_rendered` in the forwarding message instead. A consignment shipment never lists an
//! invoice (the engine derives its documents from the warehouse when it builds the plan),
//! and rendering refuses one for consignment goods whatever the plan says.

use super::pdf;
use crate::error::{code, Diagnostic, Result};
use crate::inventory::PreparedInventory;
use crate::model::{Document, Order, Shipment, Supplier, Warehouse, WarehouseKind};
use base64::Engine as _;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The sentence every pro forma carries.
pub const PRO_FORMA_NOTICE: &str = "Pro forma \u{2014} not an invoice; ownership does not transfer";

/// File format of a rendered document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentFormat {
    /// A standalone HTML page (UTF-8).
    Html,
    /// A PDF file (A4).
    Pdf,
}

/// How `content` is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentEncoding {
    /// The text itself (HTML, JSON, `.eml`).
    Utf8,
    /// Base64 of the bytes (PDF).
    Base64,
}

/// One rendered document file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedDocument {
    /// Which document.
    pub document: Document,
    /// HTML or PDF.
    pub format: DocumentFormat,
    /// Suggested file name, e.g. `packing-slip-WEB-1004-3.pdf`.
    pub file_name: String,
    /// MIME type (`text/html; charset=utf-8`, `application/pdf`).
    pub content_type: String,
    /// How `content` is written.
    pub encoding: ContentEncoding,
    /// The file: text for HTML, base64 for PDF.
    pub content: String,
}

impl RenderedDocument {
    /// The file's bytes.
    pub fn bytes(&self) -> Result<Vec<u8>> {
        match self.encoding {
            ContentEncoding::Utf8 => Ok(self.content.as_bytes().to_vec()),
            ContentEncoding::Base64 => base64::engine::general_purpose::STANDARD
                .decode(&self.content)
                .map_err(|e| {
                    Diagnostic::new(
                        code::DATA_INVALID,
                        format!("document `{}` is not valid base64: {e}", self.file_name),
                    )
                    .into()
                }),
        }
    }
}

/// A name and the address lines printed under it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Party {
    pub name: String,
    pub lines: Vec<String>,
}

/// One printed line of goods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GoodsLine {
    pub line: String,
    pub sku: String,
    pub description: String,
    pub qty: Decimal,
    pub hs_code: String,
    pub origin: String,
    pub unit_value: Option<Decimal>,
    pub value: Option<Decimal>,
}

/// Everything a packing slip or pro forma says, shared by the HTML and PDF renderers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DocumentData {
    pub document: Document,
    pub title: &'static str,
    pub number: String,
    pub date: String,
    pub order: String,
    pub shipment: usize,
    pub shipments: usize,
    pub supplier: Party,
    pub supplier_vat: Option<String>,
    pub ship_from: Party,
    pub ship_to: Party,
    pub lines: Vec<GoodsLine>,
    pub currency: String,
    pub total_value: Option<Decimal>,
    /// Sentences printed under the title (the pro forma notice, consignment ownership).
    pub notices: Vec<String>,
}

/// A file-name-safe form of an id: letters, digits, `.`, `_` and `-` kept, the rest `_`.
pub fn file_safe(text: &str) -> String {
    let s: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let s = s.trim_start_matches('.').to_string();
    if s.is_empty() {
        "_".into()
    } else {
        s
    }
}

pub(crate) fn supplier_party(supplier: Option<&Supplier>) -> Party {
    match supplier {
        Some(s) => {
            let mut lines = s.address.clone();
            lines.extend(s.country.iter().cloned());
            Party {
                name: s.name.clone(),
                lines,
            }
        }
        None => Party {
            name: "(supplier not set: add `supplier` to the inventory)".into(),
            lines: Vec::new(),
        },
    }
}

pub(crate) fn warehouse_party(w: &Warehouse) -> Party {
    let name = match (&w.kind, &w.owner) {
        (WarehouseKind::Consignment, Some(owner)) => owner.clone(),
        _ if !w.name.is_empty() => w.name.clone(),
        _ => w.id.clone(),
    };
    let mut lines = Vec::new();
    if w.kind == WarehouseKind::Consignment && !w.name.is_empty() && w.name != name {
        lines.push(w.name.clone());
    }
    if w.address.is_empty() {
        let pc = w.postcode.trim();
        if !pc.is_empty() {
            lines.push(pc.to_string());
        }
    } else {
        lines.extend(w.address.iter().cloned());
    }
    if !w.country.is_empty() {
        lines.push(w.country.clone());
    }
    lines.push(format!("Location {}", w.id));
    Party { name, lines }
}

pub(crate) fn ship_to_party(order: &Order) -> Party {
    let a = &order.ship_to;
    let name = a
        .name
        .clone()
        .or_else(|| order.customer.name.clone())
        .or_else(|| {
            order
                .customer
                .id
                .as_ref()
                .map(|id| format!("Customer {id}"))
        })
        .unwrap_or_else(|| format!("Customer of order {}", order.id));
    let mut lines = a.street.clone();
    let town = [a.postcode.trim(), a.city.as_deref().unwrap_or("").trim()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    if !town.is_empty() {
        lines.push(town);
    }
    if !a.country.is_empty() {
        lines.push(a.country.clone());
    }
    Party { name, lines }
}

/// What a shipment needs to be rendered.
pub(crate) struct ShipmentContext<'a> {
    pub order: &'a Order,
    pub inventory: &'a PreparedInventory,
    pub shipment: &'a Shipment,
    pub warehouse: &'a Warehouse,
    /// 1-based.
    pub number: usize,
    pub of: usize,
    pub date: String,
}

impl ShipmentContext<'_> {
    fn prefix(&self, document: Document) -> &'static str {
        match document {
            Document::PackingSlip => "PS",
            Document::ProForma => "PF",
            Document::Invoice => "INV",
            Document::ShippingLabel => "SL",
        }
    }

    pub(crate) fn data(&self, document: Document) -> DocumentData {
        let supplier = self.inventory.inventory().supplier.as_ref();
        let consignment = self.warehouse.kind == WarehouseKind::Consignment;
        let pro_forma = document == Document::ProForma;
        let currency = supplier
            .and_then(|s| s.currency.clone())
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| self.order.currency.clone());
        let mut total = Some(Decimal::ZERO);
        let lines: Vec<GoodsLine> = self
            .shipment
            .lines
            .iter()
            .map(|pl| {
                let product = self.inventory.product(&pl.sku);
                let order_line = self.order.lines.iter().find(|l| l.id == pl.line);
                let unit_value = product
                    .and_then(|p| p.unit_value)
                    .or_else(|| order_line.map(|l| l.unit_price));
                let value = unit_value.and_then(|u| u.checked_mul(pl.qty));
                total = match (total, value) {
                    (Some(t), Some(v)) => t.checked_add(v),
                    _ => None,
                };
                GoodsLine {
                    line: pl.line.clone(),
                    sku: pl.sku.clone(),
                    description: product
                        .and_then(|p| p.description.clone())
                        .unwrap_or_else(|| pl.sku.clone()),
                    qty: pl.qty.normalize(),
                    hs_code: product.and_then(|p| p.hs_code.clone()).unwrap_or_default(),
                    origin: product
                        .and_then(|p| p.origin_country.clone())
                        .unwrap_or_default(),
                    unit_value,
                    value,
                }
            })
            .collect();
        let supplier_name = supplier.map(|s| s.name.as_str()).unwrap_or("the supplier");
        let mut notices = Vec::new();
        if pro_forma {
            notices.push(PRO_FORMA_NOTICE.to_string());
            notices.push("Values are stated for customs purposes only; no payment is due.".into());
        }
        if consignment {
            notices.push(format!(
                "Consignment goods: they remain the property of {supplier_name} until sold."
            ));
        }
        DocumentData {
            document,
            title: match document {
                Document::ProForma => "Pro forma",
                _ => "Packing slip",
            },
            number: format!(
                "{}-{}-{}",
                self.prefix(document),
                self.order.id,
                self.number
            ),
            date: self.date.clone(),
            order: self.order.id.clone(),
            shipment: self.number,
            shipments: self.of,
            supplier: supplier_party(supplier),
            supplier_vat: supplier.and_then(|s| s.vat_id.clone()),
            ship_from: warehouse_party(self.warehouse),
            ship_to: ship_to_party(self.order),
            lines,
            currency,
            total_value: if pro_forma { total } else { None },
            notices,
        }
    }
}

fn slug(document: Document) -> &'static str {
    match document {
        Document::PackingSlip => "packing-slip",
        Document::ProForma => "pro-forma",
        Document::Invoice => "invoice",
        Document::ShippingLabel => "shipping-label",
    }
}

/// Renders the documents of one shipment stockroute can produce (packing slip, pro forma),
/// each as HTML and PDF. Returns them with the documents left to others (label, invoice).
pub(crate) fn render(ctx: &ShipmentContext<'_>) -> Result<(Vec<RenderedDocument>, Vec<Document>)> {
    let mut rendered = Vec::new();
    let mut not_rendered = Vec::new();
    let consignment = ctx.warehouse.kind == WarehouseKind::Consignment;
    for &document in &ctx.shipment.documents {
        match document {
            Document::Invoice if consignment => {
                return Err(Diagnostic::new(
                    code::PLAN_INVALID,
                    format!(
                        "shipment {} of order `{}` from consignment location `{}` lists an invoice",
                        ctx.number, ctx.order.id, ctx.warehouse.id
                    ),
                )
                .with_help("an invoice transfers ownership; consignment goods ship with a packing slip or a pro forma only")
                .with_warehouse(&ctx.warehouse.id)
                .into());
            }
            Document::PackingSlip | Document::ProForma => {
                let data = ctx.data(document);
                let base = format!(
                    "{}-{}-{}",
                    slug(document),
                    file_safe(&ctx.order.id),
                    ctx.number
                );
                rendered.push(RenderedDocument {
                    document,
                    format: DocumentFormat::Html,
                    file_name: format!("{base}.html"),
                    content_type: "text/html; charset=utf-8".into(),
                    encoding: ContentEncoding::Utf8,
                    content: html(&data),
                });
                rendered.push(RenderedDocument {
                    document,
                    format: DocumentFormat::Pdf,
                    file_name: format!("{base}.pdf"),
                    content_type: "application/pdf".into(),
                    encoding: ContentEncoding::Base64,
                    content: base64::engine::general_purpose::STANDARD.encode(pdf::render(&data)),
                });
            }
            Document::Invoice | Document::ShippingLabel => not_rendered.push(document),
        }
    }
    Ok((rendered, not_rendered))
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub(crate) fn money(value: Option<Decimal>) -> String {
    value
        .map(|v| v.round_dp(2).to_string())
        .map(|s| match s.split_once('.') {
            None => format!("{s}.00"),
            Some((_, f)) if f.len() == 1 => format!("{s}0"),
            _ => s,
        })
        .unwrap_or_default()
}

fn party_html(label: &str, p: &Party) -> String {
    let mut s = format!(
        "<section class=\"party\"><h2>{}</h2><p><strong>{}</strong>",
        escape(label),
        escape(&p.name)
    );
    for l in &p.lines {
        s.push_str("<br>");
        s.push_str(&escape(l));
    }
    s.push_str("</p></section>");
    s
}

/// A standalone HTML page for a document (inline CSS, prints on A4).
pub(crate) fn html(d: &DocumentData) -> String {
    let pro_forma = d.document == Document::ProForma;
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str(&format!(
        "<title>{} {}</title>\n",
        escape(d.title),
        escape(&d.number)
    ));
    s.push_str("<style>body{font-family:Helvetica,Arial,sans-serif;margin:2em;color:#111}\
table{border-collapse:collapse;width:100%;margin-top:1em}th,td{border-bottom:1px solid #ccc;\
padding:4px 6px;text-align:left}td.n,th.n{text-align:right}.parties{display:flex;gap:2em}\
.notice{font-weight:bold;border:2px solid #111;padding:6px}@page{size:A4}</style>\n</head>\n<body>\n");
    s.push_str(&format!("<h1>{}</h1>\n", escape(d.title)));
    for n in &d.notices {
        s.push_str(&format!("<p class=\"notice\">{}</p>\n", escape(n)));
    }
    s.push_str(&format!(
        "<p>No. {} &middot; Date {} &middot; Order {} &middot; Shipment {} of {}</p>\n",
        escape(&d.number),
        escape(&d.date),
        escape(&d.order),
        d.shipment,
        d.shipments
    ));
    s.push_str("<div class=\"parties\">");
    s.push_str(&party_html("Supplier", &d.supplier));
    s.push_str(&party_html("Ship from", &d.ship_from));
    s.push_str(&party_html("Ship to", &d.ship_to));
    s.push_str("</div>\n");
    if let Some(vat) = &d.supplier_vat {
        s.push_str(&format!("<p>Supplier VAT id: {}</p>\n", escape(vat)));
    }
    s.push_str(
        "<table>\n<thead><tr><th>Line</th><th>SKU</th><th>Description</th><th class=\"n\">Qty</th>",
    );
    if pro_forma {
        s.push_str(&format!(
            "<th>HS code</th><th>Origin</th><th class=\"n\">Unit value ({c})</th><th class=\"n\">Value ({c})</th>",
            c = escape(&d.currency)
        ));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for l in &d.lines {
        s.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>",
            escape(&l.line),
            escape(&l.sku),
            escape(&l.description),
            l.qty
        ));
        if pro_forma {
            s.push_str(&format!(
                "<td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
                escape(&l.hs_code),
                escape(&l.origin),
                money(l.unit_value),
                money(l.value)
            ));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n");
    if pro_forma {
        s.push_str(&format!(
            "<tfoot><tr><td colspan=\"7\">Total value for customs ({})</td><td class=\"n\">{}</td></tr></tfoot>\n",
            escape(&d.currency),
            money(d.total_value)
        ));
    }
    s.push_str("</table>\n</body>\n</html>\n");
    s
}
