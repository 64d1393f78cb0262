//! Forwarding messages: for every shipment of a plan, what the host sends as it is.
//!
//! - `email` locations get a complete RFC 5322 / MIME message (`.eml`), built with
//!   `mail-builder`: plain-text and HTML body, the rendered documents attached as HTML and
//!   PDF, `Reply-To`, and a `Message-ID` derived from order, shipment and warehouse.
//! - `api` and `wms` locations get a JSON request body of the versioned schema
//!   [`FORWARD_SCHEMA`] ([`ForwardRequest`]) with an idempotency key.
//!
//! Output depends only on its inputs (the `date` option included), never on a clock or on
//! randomness: forwarding the same plan twice gives byte-identical messages, so a retry is
//! recognisable by its `Message-ID` or idempotency key.

use super::documents::{self, escape, file_safe, Party, RenderedDocument, ShipmentContext};
use super::settlement::{Event, EventKind, EventLine};
use super::{dates, invalid};
use crate::error::{code, Diagnostic, Result};
use crate::inventory::PreparedInventory;
use crate::model::{Document, Forward, Order, Plan, Warehouse, WarehouseKind};
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::raw::Raw;
use mail_builder::mime::MimePart;
use mail_builder::MessageBuilder;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Name and version of the JSON request body schema sent to `api` and `wms` locations.
pub const FORWARD_SCHEMA: &str = "stockroute.forward/1";

/// Options of [`forward`](super::forward).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForwardOptions {
    /// Date of the messages and documents: `YYYY-MM-DD` (midnight UTC) or an RFC 3339
    /// date-time. Required: the engine has no clock (the JavaScript API and the CLI default
    /// it to today).
    pub date: String,
}

/// One message for one shipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardMessage {
    /// Order id.
    pub order: String,
    /// 1-based number of the shipment in the plan.
    pub shipment: usize,
    /// Number of shipments in the plan.
    pub shipments: usize,
    /// Warehouse that ships.
    pub warehouse: String,
    /// Own or consignment.
    pub kind: WarehouseKind,
    /// How it is handed over (`email` to, `api` endpoint, `wms`).
    pub forward: Forward,
    /// The `Message-ID` (email, without angle brackets) or the idempotency key (api, wms):
    /// the same for every forwarding of the same shipment.
    pub id: String,
    /// Suggested file name: `<order>-<n>-<warehouse>.eml` or `.json`.
    pub file_name: String,
    /// `message/rfc822` or `application/json`.
    pub content_type: String,
    /// The message to send as it is: the `.eml` text or the JSON request body.
    pub body: String,
    /// The rendered documents (also attached to the email or embedded in the request).
    pub documents: Vec<RenderedDocument>,
    /// Documents the shipment needs that stockroute does not produce: the shipping label
    /// (from the carrier) and, for own shipments only, the invoice.
    pub not_rendered: Vec<Document>,
    /// For consignment shipments: the `shipment` event to append to the settlement log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<Event>,
}

/// The JSON request body for `api` and `wms` locations (schema [`FORWARD_SCHEMA`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardRequest {
    /// Always [`FORWARD_SCHEMA`]; a receiver should reject a schema it does not know.
    pub schema: String,
    /// Stable per order, shipment and warehouse: a receiver that has seen it treats the
    /// request as a retry.
    pub idempotency_key: String,
    /// The message date as given in the options.
    pub date: String,
    /// The order.
    pub order: RequestOrder,
    /// What to ship, from where.
    pub shipment: RequestShipment,
    /// Where it goes.
    pub ship_to: RequestAddress,
    /// Who owns the goods and sends the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<RequestParty>,
    /// The rendered documents, to print and put in the parcel.
    pub documents: Vec<RenderedDocument>,
    /// Documents that follow separately (shipping label; invoice for own shipments).
    pub documents_to_follow: Vec<Document>,
    /// For consignment: the goods stay the supplier's; never put an invoice in the parcel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

/// Order fields of a [`ForwardRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestOrder {
    /// Order id.
    pub id: String,
    /// Sales channel.
    pub channel: String,
    /// Currency.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub currency: String,
    /// Customer id, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
}

/// Shipment fields of a [`ForwardRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestShipment {
    /// 1-based number in the plan.
    pub number: usize,
    /// Number of shipments in the plan.
    pub of: usize,
    /// Warehouse id.
    pub warehouse: String,
    /// Own or consignment.
    pub kind: WarehouseKind,
    /// Retailer holding consignment stock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// What to pick.
    pub lines: Vec<RequestLine>,
}

/// One line to pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestLine {
    /// Order line id.
    pub line: String,
    /// SKU.
    pub sku: String,
    /// Product description (the SKU when the inventory has none).
    pub description: String,
    /// Quantity.
    pub qty: Decimal,
}

/// Ship-to address of a [`ForwardRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestAddress {
    /// Recipient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Street lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub street: Vec<String>,
    /// Postcode.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub postcode: String,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// ISO country code.
    pub country: String,
}

/// Supplier fields of a [`ForwardRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestParty {
    /// Name.
    pub name: String,
    /// Address lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<String>,
    /// VAT id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_id: Option<String>,
    /// Contact email (reply-to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// Characters of an email local part or domain kept as they are in a `Message-ID`.
fn message_id_part(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&'*+-/=?^_`{|}~".contains(&b) {
            out.push(char::from(b));
        } else {
            // Percent-encoding keeps distinct ids distinct ('%' itself is encoded too).
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(crate) use crate::inventory::plausible_email;

/// Stable idempotency key of a shipment.
pub fn idempotency_key(order: &str, number: usize, warehouse: &str) -> String {
    format!(
        "stockroute:{}:{number}:{}",
        message_id_part(order),
        message_id_part(warehouse)
    )
}

/// Stable `Message-ID` (without angle brackets) of a shipment's email.
pub fn message_id(order: &str, number: usize, warehouse: &str, domain: &str) -> String {
    format!(
        "{}.{number}.{}@{}",
        message_id_part(order),
        message_id_part(warehouse),
        message_id_part(domain).replace("%2E", ".")
    )
}

pub(crate) struct Built {
    pub id: String,
    pub body: String,
    pub content_type: &'static str,
    pub extension: &'static str,
}

fn text_table(lines: &[(String, String, String, String)]) -> String {
    let w0 = lines.iter().map(|l| l.0.chars().count()).max().unwrap_or(0);
    let w1 = lines.iter().map(|l| l.1.chars().count()).max().unwrap_or(0);
    let w2 = lines.iter().map(|l| l.2.chars().count()).max().unwrap_or(0);
    let w3 = lines.iter().map(|l| l.3.chars().count()).max().unwrap_or(0);
    lines
        .iter()
        .map(|(a, b, c, d)| {
            format!("  {a:<w0$}  {b:<w1$}  {c:<w2$}  {d:>w3$}")
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn party_text(p: &Party) -> String {
    let mut s = format!("  {}", p.name);
    for l in &p.lines {
        s.push_str("\n  ");
        s.push_str(l);
    }
    s
}

fn document_name(d: Document) -> &'static str {
    match d {
        Document::PackingSlip => "packing slip",
        Document::ProForma => "pro forma",
        Document::Invoice => "invoice",
        Document::ShippingLabel => "shipping label",
    }
}

/// A boundary no part contains: derived from the message id, lengthened on a clash.
fn boundary(seed: &str, salt: &str, parts: &[&str]) -> String {
    let mut b = format!("=_stockroute_{salt}_{}", file_safe(seed));
    while parts.iter().any(|p| p.contains(b.as_str())) {
        b.push('x');
    }
    b
}

pub(crate) fn email(
    ctx: &ShipmentContext<'_>,
    to: &str,
    docs: &[RenderedDocument],
    not_rendered: &[Document],
    date_header: &str,
) -> Result<Built> {
    let supplier = ctx.inventory.inventory().supplier.as_ref();
    let Some(supplier) = supplier else {
        return Err(invalid(
            "supplier",
            format!(
                "forwarding shipment {} of order `{}` by email needs a `supplier` in the inventory (the sender)",
                ctx.number, ctx.order.id
            ),
        )
        .with_help("add \"supplier\": {\"name\": ..., \"email\": ...} to the inventory")
        .into());
    };
    let Some(from) = supplier.email.as_deref().filter(|e| plausible_email(e)) else {
        return Err(invalid(
            "supplier.email",
            format!(
                "forwarding by email needs `supplier.email`, a sender address, got `{}`",
                supplier.email.as_deref().unwrap_or("")
            ),
        )
        .into());
    };
    if !plausible_email(to) {
        let i = ctx
            .inventory
            .warehouse_index(&ctx.warehouse.id)
            .unwrap_or_default();
        return Err(invalid(
            &format!("warehouses[{i}].forward.to"),
            format!(
                "`{to}` is not an email address (warehouse `{}`)",
                ctx.warehouse.id
            ),
        )
        .with_warehouse(&ctx.warehouse.id)
        .into());
    }
    let reply_to = supplier
        .reply_to
        .as_deref()
        .filter(|e| plausible_email(e))
        .unwrap_or(from);
    let domain = from
        .rsplit_once('@')
        .map(|(_, d)| d)
        .unwrap_or("stockroute.invalid");
    let id = message_id(&ctx.order.id, ctx.number, &ctx.warehouse.id, domain);
    let consignment = ctx.warehouse.kind == WarehouseKind::Consignment;
    let slip = ctx.data(
        ctx.shipment
            .documents
            .iter()
            .copied()
            .find(|d| matches!(d, Document::ProForma | Document::PackingSlip))
            .unwrap_or(Document::PackingSlip),
    );
    let recipient = documents::warehouse_party(ctx.warehouse).name;

    let subject = if consignment {
        format!(
            "Please ship order {} from consignment stock (shipment {} of {})",
            ctx.order.id, ctx.number, ctx.of
        )
    } else {
        format!(
            "Please ship order {} (shipment {} of {})",
            ctx.order.id, ctx.number, ctx.of
        )
    };
    let rows: Vec<(String, String, String, String)> = std::iter::once((
        "Line".into(),
        "SKU".into(),
        "Description".into(),
        "Qty".into(),
    ))
    .chain(slip.lines.iter().map(|l| {
        (
            l.line.clone(),
            l.sku.clone(),
            l.description.clone(),
            l.qty.to_string(),
        )
    }))
    .collect();
    let attached: Vec<&str> = {
        let mut names: Vec<&str> = Vec::new();
        for d in docs {
            let n = document_name(d.document);
            if !names.contains(&n) {
                names.push(n);
            }
        }
        names
    };
    let attached_text = if attached.is_empty() {
        "No documents are attached.".to_string()
    } else {
        format!("Attached: {} (HTML and PDF).", attached.join(", "))
    };
    let follow_text = if not_rendered.is_empty() {
        String::new()
    } else {
        format!(
            " To follow separately: {}.",
            not_rendered
                .iter()
                .map(|d| document_name(*d))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let ownership = if consignment {
        format!(
            "\nThese goods are consignment stock: they remain the property of {} until sold. \
Do not put an invoice in the parcel; ownership does not transfer to the customer through you.\n",
            supplier.name
        )
    } else {
        String::new()
    };
    let text = format!(
        "Hello {recipient},\n\nplease ship the following goods to the customer below.\n\n\
Order {order}, shipment {n} of {of}, date {date}\n\nShip to:\n{ship_to}\n\n{table}\n\n\
{attached_text}{follow_text}\n{ownership}\nQuestions: reply to this message ({reply_to}).\n\n\
-- \n{sender}\n",
        order = ctx.order.id,
        n = ctx.number,
        of = ctx.of,
        date = ctx.date,
        ship_to = party_text(&slip.ship_to),
        table = text_table(&rows),
        sender = party_text(&slip.supplier).trim_start(),
    );
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body style=\"font-family:Helvetica,Arial,sans-serif\">\n\
<p>Hello {recipient},</p>\n<p>please ship the following goods to the customer below.</p>\n\
<p><strong>Order {order}</strong>, shipment {n} of {of}, date {date}</p>\n<p><strong>Ship to:</strong><br>{ship_to}</p>\n\
<table style=\"border-collapse:collapse\"><thead><tr><th align=\"left\">Line</th><th align=\"left\">SKU</th><th align=\"left\">Description</th><th align=\"right\">Qty</th></tr></thead><tbody>\n",
        title = escape(&subject),
        recipient = escape(&recipient),
        order = escape(&ctx.order.id),
        n = ctx.number,
        of = ctx.of,
        date = escape(&ctx.date),
        ship_to = std::iter::once(&slip.ship_to.name)
            .chain(slip.ship_to.lines.iter())
            .map(|s| escape(s))
            .collect::<Vec<_>>()
            .join("<br>"),
    );
    for l in &slip.lines {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td align=\"right\">{}</td></tr>\n",
            escape(&l.line),
            escape(&l.sku),
            escape(&l.description),
            l.qty
        ));
    }
    html.push_str(&format!(
        "</tbody></table>\n<p>{}{}</p>\n",
        escape(&attached_text),
        escape(&follow_text)
    ));
    if consignment {
        html.push_str(&format!(
            "<p><strong>{}</strong></p>\n",
            escape(ownership.trim())
        ));
    }
    html.push_str(&format!(
        "<p>Questions: reply to this message ({}).</p>\n<p>&mdash;<br>{}</p>\n</body></html>\n",
        escape(reply_to),
        std::iter::once(&slip.supplier.name)
            .chain(slip.supplier.lines.iter())
            .map(|s| escape(s))
            .collect::<Vec<_>>()
            .join("<br>")
    ));

    let mut contents: Vec<&str> = vec![text.as_str(), html.as_str()];
    contents.extend(docs.iter().map(|d| d.content.as_str()));
    let alternative = MimePart::new(
        ContentType::new("multipart/alternative")
            .attribute("boundary", boundary(&id, "alt", &contents)),
        vec![
            MimePart::new("text/plain", text.as_str()),
            MimePart::new("text/html", html.as_str()),
        ],
    );
    let mut parts = vec![alternative];
    for d in docs {
        let bytes = d.bytes()?;
        let mime = match d.format {
            documents::DocumentFormat::Html => {
                ContentType::new("text/html").attribute("charset", "utf-8")
            }
            documents::DocumentFormat::Pdf => ContentType::new("application/pdf"),
        };
        parts.push(MimePart::new(mime, bytes).attachment(d.file_name.clone()));
    }
    let body = MimePart::new(
        ContentType::new("multipart/mixed")
            .attribute("boundary", boundary(&id, "mixed", &contents)),
        parts,
    );
    let builder = MessageBuilder::new()
        .from((supplier.name.as_str(), from))
        .to(to)
        .reply_to(reply_to)
        .subject(subject.as_str())
        .message_id(id.as_str())
        .header("Date", Raw::new(date_header))
        .header(
            "X-Stockroute-Order",
            Raw::new(message_id_part(&ctx.order.id)),
        )
        .header(
            "X-Stockroute-Shipment",
            Raw::new(format!("{} of {}", ctx.number, ctx.of)),
        )
        .body(body);
    let bytes = builder.write_to_vec().map_err(|e| {
        Diagnostic::new(
            code::DATA_INVALID,
            format!("could not write the email: {e}"),
        )
    })?;
    let body = String::from_utf8(bytes).map_err(|_| {
        Diagnostic::new(
            code::DATA_INVALID,
            "the email is not valid text (this is a bug in stockroute; please report it)",
        )
    })?;
    Ok(Built {
        id,
        body,
        content_type: "message/rfc822",
        extension: "eml",
    })
}

pub(crate) fn request(
    ctx: &ShipmentContext<'_>,
    docs: &[RenderedDocument],
    not_rendered: &[Document],
    date: &str,
) -> Result<Built> {
    let supplier = ctx.inventory.inventory().supplier.as_ref();
    let consignment = ctx.warehouse.kind == WarehouseKind::Consignment;
    let slip = ctx.data(Document::PackingSlip);
    let a = &ctx.order.ship_to;
    let key = idempotency_key(&ctx.order.id, ctx.number, &ctx.warehouse.id);
    let request = ForwardRequest {
        schema: FORWARD_SCHEMA.into(),
        idempotency_key: key.clone(),
        date: date.to_string(),
        order: RequestOrder {
            id: ctx.order.id.clone(),
            channel: ctx.order.channel.clone(),
            currency: ctx.order.currency.clone(),
            customer: ctx.order.customer.id.clone(),
        },
        shipment: RequestShipment {
            number: ctx.number,
            of: ctx.of,
            warehouse: ctx.warehouse.id.clone(),
            kind: ctx.warehouse.kind,
            owner: ctx.shipment.owner.clone(),
            lines: slip
                .lines
                .iter()
                .map(|l| RequestLine {
                    line: l.line.clone(),
                    sku: l.sku.clone(),
                    description: l.description.clone(),
                    qty: l.qty,
                })
                .collect(),
        },
        ship_to: RequestAddress {
            name: a.name.clone().or_else(|| ctx.order.customer.name.clone()),
            street: a.street.clone(),
            postcode: a.postcode.clone(),
            city: a.city.clone(),
            country: a.country.clone(),
        },
        supplier: supplier.map(|s| RequestParty {
            name: s.name.clone(),
            address: s.address.clone(),
            vat_id: s.vat_id.clone(),
            email: s.reply_to.clone().or_else(|| s.email.clone()),
        }),
        documents: docs.to_vec(),
        documents_to_follow: not_rendered.to_vec(),
        notice: consignment.then(|| {
            format!(
                "consignment goods: they remain the property of {} until sold; never put an invoice in the parcel",
                supplier.map(|s| s.name.as_str()).unwrap_or("the supplier")
            )
        }),
    };
    let body = serde_json::to_string_pretty(&request).map_err(|e| {
        Diagnostic::new(
            code::DATA_INVALID,
            format!("could not write the request: {e}"),
        )
    })?;
    Ok(Built {
        id: key,
        body,
        content_type: "application/json",
        extension: "json",
    })
}

/// Messages for every shipment of `plan`; see [`super::forward`].
pub(crate) fn forward(
    plan: &Plan,
    order: &Order,
    inventory: &PreparedInventory,
    options: &ForwardOptions,
) -> Result<Vec<ForwardMessage>> {
    let moment = dates::parse_timestamp(&options.date).ok_or_else(|| {
        Diagnostic::new(
            code::OPTIONS_INVALID,
            format!(
                "`date` must be YYYY-MM-DD or an RFC 3339 date-time, got `{}`",
                options.date
            ),
        )
        .with_path("date")
        .with_help("for example `2026-11-30` or `2026-11-30T14:05:00+01:00`")
    })?;
    let date_header = dates::rfc5322(moment).ok_or_else(|| {
        Diagnostic::new(
            code::OPTIONS_INVALID,
            format!(
                "`date` `{}` cannot be written as an email date",
                options.date
            ),
        )
        .with_path("date")
    })?;
    let day = dates::format_date(moment.date());
    if plan.order != order.id {
        return Err(Diagnostic::new(
            code::DATA_INVALID,
            format!(
                "the plan is for order `{}`, not for order `{}`",
                plan.order, order.id
            ),
        )
        .with_path("order")
        .into());
    }
    let of = plan.shipments.len();
    let mut out = Vec::with_capacity(of);
    for (i, shipment) in plan.shipments.iter().enumerate() {
        let number = i + 1;
        let warehouse: &Warehouse = inventory
            .warehouse_index(&shipment.warehouse)
            .and_then(|w| inventory.warehouse(w))
            .ok_or_else(|| {
                invalid(
                    &format!("shipments[{i}].warehouse"),
                    format!("unknown warehouse `{}`", shipment.warehouse),
                )
                .with_warehouse(&shipment.warehouse)
            })?;
        for (j, line) in shipment.lines.iter().enumerate() {
            let matches = order
                .lines
                .iter()
                .any(|l| l.id == line.line && l.sku == line.sku);
            if !matches {
                return Err(invalid(
                    &format!("shipments[{i}].lines[{j}]"),
                    format!(
                        "line `{}` (sku `{}`) is not a line of order `{}`",
                        line.line, line.sku, order.id
                    ),
                )
                .into());
            }
        }
        let ctx = ShipmentContext {
            order,
            inventory,
            shipment,
            warehouse,
            number,
            of,
            date: day.clone(),
        };
        let (docs, not_rendered) = documents::render(&ctx)?;
        // The warehouse's current forward method decides; the plan's copy may be older.
        let forward = warehouse.forward.clone().unwrap_or(Forward::Wms);
        let built = match &forward {
            Forward::Email { to } => email(&ctx, to, &docs, &not_rendered, &date_header)?,
            Forward::Api { .. } | Forward::Wms => {
                request(&ctx, &docs, &not_rendered, &options.date)?
            }
        };
        let event = (warehouse.kind == WarehouseKind::Consignment).then(|| Event {
            kind: EventKind::Shipment,
            date: day.clone(),
            warehouse: warehouse.id.clone(),
            lines: shipment
                .lines
                .iter()
                .map(|l| EventLine {
                    sku: l.sku.clone(),
                    qty: l.qty,
                })
                .collect(),
            reference: Some(format!("{}/{number}", order.id)),
        });
        out.push(ForwardMessage {
            order: order.id.clone(),
            shipment: number,
            shipments: of,
            warehouse: warehouse.id.clone(),
            kind: warehouse.kind,
            forward,
            id: built.id,
            file_name: format!(
                "{}-{number}-{}.{}",
                file_safe(&order.id),
                file_safe(&warehouse.id),
                built.extension
            ),
            content_type: built.content_type.into(),
            body: built.body,
            documents: docs,
            not_rendered,
            event,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_keep_distinct_orders_distinct() {
        assert_eq!(
            message_id("WEB-1004", 3, "CON-HAM", "supplier.example"),
            "WEB-1004.3.CON-HAM@supplier.example"
        );
        // A space and a percent sign are encoded, so `a b` and `a%20b` stay different.
        assert_eq!(idempotency_key("a b", 1, "W"), "stockroute:a%20b:1:W");
        assert_eq!(idempotency_key("a%20b", 1, "W"), "stockroute:a%2520b:1:W");
    }

    #[test]
    fn only_single_mailboxes_are_email_addresses() {
        assert!(plausible_email("orders@hamburg-outdoor.example"));
        for bad in [
            "",
            "orders",
            "a@b",
            "a b@c.de",
            "a@c.de, x@y.de",
            "a@c.de\r\nBcc: x@y.de",
        ] {
            assert!(!plausible_email(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_boundary_never_occurs_in_a_part() {
        let b = boundary("id", "alt", &["text with =_stockroute_alt_id inside"]);
        assert_eq!(b, "=_stockroute_alt_idx");
    }
}
