#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Consignment end to end on the sample data (examples/, rules/) and on small fixtures:
//! forwarding messages parsed back with a MIME parser, PDFs opened with a PDF reader,
//! never an invoice for consignment goods, settlement arithmetic, and the examples of
//! docs/consignment.md.

use mail_parser::{MessageParser, MimeHeaders};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::path::PathBuf;
use stockroute::consignment::{
    self, settlement, Event, EventKind, EventLine, ForwardMessage, ForwardOptions, Period,
    RenderedDocument, PRO_FORMA_NOTICE,
};
use stockroute::{
    Document, Forward, Order, PreparedInventory, Router, RouterOptions, SalesSource, WarehouseKind,
};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(p: &str) -> String {
    std::fs::read_to_string(root().join(p)).unwrap()
}

fn sample_inventory_json() -> Value {
    serde_json::from_str(&read("examples/inventory.json")).unwrap()
}

fn prepared(v: Value) -> PreparedInventory {
    PreparedInventory::new(serde_json::from_value(v).unwrap()).unwrap()
}

fn sample_inventory() -> PreparedInventory {
    prepared(sample_inventory_json())
}

fn sample_orders() -> Vec<Order> {
    read("examples/orders.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn sample_order(id: &str) -> Order {
    sample_orders().into_iter().find(|o| o.id == id).unwrap()
}

fn demo_router() -> Router {
    Router::new(
        &read("rules/own-first-then-consignment.rhai"),
        RouterOptions::default(),
    )
    .unwrap()
}

fn options(date: &str) -> ForwardOptions {
    ForwardOptions { date: date.into() }
}

fn forward_sample(id: &str) -> Vec<ForwardMessage> {
    let inventory = sample_inventory();
    let order = sample_order(id);
    let plan = demo_router().route(&order, &inventory).unwrap();
    consignment::forward(&plan, &order, &inventory, &options("2026-11-30")).unwrap()
}

fn pdf_text(doc: &RenderedDocument) -> String {
    let pdf = lopdf::Document::load_mem(&doc.bytes().unwrap()).expect("the PDF opens");
    let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
    assert!(!pages.is_empty());
    pdf.extract_text(&pages).unwrap()
}

fn document<'a>(m: &'a ForwardMessage, file_name: &str) -> &'a RenderedDocument {
    m.documents
        .iter()
        .find(|d| d.file_name == file_name)
        .unwrap_or_else(|| panic!("no {file_name} in {:?}", m.documents))
}

// ---- forwarding -------------------------------------------------------------------------

#[test]
fn a_consignment_shipment_is_a_complete_email_a_mime_parser_reads() {
    // WEB-1004: 12 × JKT-M; DE-BER ships 8 (10 − 2 reserved), AT-VIE 3, and the last one
    // comes from consignment CON-HAM (Hamburg Outdoor GmbH), forwarded by email.
    let messages = forward_sample("WEB-1004");
    let warehouses: Vec<&str> = messages.iter().map(|m| m.warehouse.as_str()).collect();
    assert_eq!(warehouses, ["DE-BER", "AT-VIE", "CON-HAM"]);
    let m = &messages[2];
    assert_eq!((m.shipment, m.shipments), (3, 3));
    assert_eq!(m.file_name, "WEB-1004-3-CON-HAM.eml");
    assert_eq!(m.content_type, "message/rfc822");
    assert_eq!(m.id, "WEB-1004.3.CON-HAM@alpenwerk.example");

    let mail = MessageParser::default().parse(m.body.as_bytes()).unwrap();
    let from = mail.from().and_then(|a| a.first()).unwrap();
    assert_eq!(from.address(), Some("dispatch@alpenwerk.example"));
    assert_eq!(from.name(), Some("Alpenwerk Outdoor GmbH"));
    let to = mail.to().and_then(|a| a.first()).unwrap();
    assert_eq!(to.address(), Some("orders@hamburg-outdoor.example"));
    let reply_to = mail.reply_to().and_then(|a| a.first()).unwrap();
    assert_eq!(reply_to.address(), Some("consignment@alpenwerk.example"));
    assert_eq!(
        mail.message_id(),
        Some("WEB-1004.3.CON-HAM@alpenwerk.example")
    );
    // The `date` option, midnight UTC.
    assert_eq!(
        mail.date().map(|d| d.to_rfc3339()).as_deref(),
        Some("2026-11-30T00:00:00Z")
    );
    assert_eq!(
        mail.subject(),
        Some("Please ship order WEB-1004 from consignment stock (shipment 3 of 3)")
    );

    let text = mail.body_text(0).unwrap();
    assert!(text.contains("Hello Hamburg Outdoor GmbH"), "{text}");
    assert!(text.contains("Alpine Club Berlin e.V."), "{text}");
    assert!(text.contains("Unter den Linden 5"), "{text}");
    assert!(
        text.lines().any(|l| l.contains("JKT-M")
            && l.contains("Rain jacket, size M")
            && l.trim_end().ends_with(" 1")),
        "{text}"
    );
    let html = mail.body_html(0).unwrap();
    assert!(html.contains("<td>JKT-M</td>"), "{html}");

    // The packing slip, as HTML and as PDF; the label follows from the carrier.
    let attachments: Vec<(String, String)> = mail
        .attachments()
        .map(|a| {
            let ct = a.content_type().unwrap();
            (
                a.attachment_name().unwrap().to_string(),
                format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")),
            )
        })
        .collect();
    assert_eq!(
        attachments,
        [
            (
                "packing-slip-WEB-1004-3.html".to_string(),
                "text/html".to_string()
            ),
            (
                "packing-slip-WEB-1004-3.pdf".to_string(),
                "application/pdf".to_string()
            )
        ]
    );
    assert_eq!(m.not_rendered, [Document::ShippingLabel]);
    let pdf_part = mail.attachments().nth(1).unwrap();
    assert_eq!(
        pdf_part.contents(),
        document(m, "packing-slip-WEB-1004-3.pdf")
            .bytes()
            .unwrap()
            .as_slice(),
        "the attached PDF is the rendered one, byte for byte"
    );
    let html_part = mail.attachments().next().unwrap();
    let html_doc = std::str::from_utf8(html_part.contents()).unwrap();
    assert_eq!(
        html_doc,
        document(m, "packing-slip-WEB-1004-3.html").content,
        "the attached HTML is the rendered one, exactly"
    );
    assert!(html_doc.contains("<h1>Packing slip</h1>"));
    assert!(html_doc.contains("Hamburg Outdoor GmbH"));
    assert!(html_doc.contains("Spitalerstraße 12"), "retailer address");
}

#[test]
fn the_packing_slip_pdf_opens_and_lists_the_lines() {
    let messages = forward_sample("WEB-1004");
    let text = pdf_text(document(&messages[2], "packing-slip-WEB-1004-3.pdf"));
    for expected in [
        "Packing slip",
        "PS-WEB-1004-3",
        "Alpenwerk Outdoor GmbH",
        "VAT id: DE123456789",
        "Hamburg Outdoor GmbH",
        "Spitalerstraße 12",
        "Alpine Club Berlin e.V.",
        "JKT-M",
        "Rain jacket, size M",
        "Consignment goods",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
}

#[test]
fn pro_forma_terms_attach_a_pro_forma_with_customs_values() {
    // WEB-1005: 4 × TENT-4P; DE-BER ships 3, consignment CON-ZRH (terms.pro_forma) the last.
    let messages = forward_sample("WEB-1005");
    let m = &messages[1];
    assert_eq!(m.warehouse, "CON-ZRH");
    let names: Vec<&str> = m.documents.iter().map(|d| d.file_name.as_str()).collect();
    assert_eq!(
        names,
        ["pro-forma-WEB-1005-2.html", "pro-forma-WEB-1005-2.pdf"]
    );
    let mail = MessageParser::default().parse(m.body.as_bytes()).unwrap();
    assert_eq!(mail.attachments().count(), 2);

    let text = pdf_text(document(m, "pro-forma-WEB-1005-2.pdf"));
    // TENT-4P: HS 6306.22, made in VN, customs value 210 per unit (products[].unit_value,
    // supplier currency EUR); 1 unit ships, so the total is 210.00.
    for expected in [
        PRO_FORMA_NOTICE,
        "Pro forma \u{2014} not an invoice; ownership does not transfer",
        "TENT-4P",
        "Family tent, 4 person",
        "6306.22",
        "VN",
        "210.00",
        "Total value for customs (EUR)",
        "Zürich Alpin AG",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    let html = &document(m, "pro-forma-WEB-1005-2.html").content;
    assert!(html.contains("Pro forma \u{2014} not an invoice; ownership does not transfer"));
    assert!(html.contains("<td class=\"n\">210.00</td>"));
}

#[test]
fn own_and_api_shipments_get_a_versioned_json_request_with_an_idempotency_key() {
    let messages = forward_sample("WEB-1003");
    // WEB-1003: 4 × BOOT-44, DE-BER 2 (wms) + DE-MUC 2 (api).
    let m = &messages[1];
    assert_eq!(m.warehouse, "DE-MUC");
    assert_eq!(m.file_name, "WEB-1003-2-DE-MUC.json");
    assert_eq!(m.content_type, "application/json");
    assert_eq!(
        m.forward,
        Forward::Api {
            endpoint: "https://wms-muc.example.com/orders".into()
        }
    );
    let body: Value = serde_json::from_str(&m.body).unwrap();
    assert_eq!(body["schema"], "stockroute.forward/1");
    assert_eq!(body["idempotency_key"], "stockroute:WEB-1003:2:DE-MUC");
    assert_eq!(m.id, "stockroute:WEB-1003:2:DE-MUC");
    assert_eq!(
        body["shipment"]["lines"],
        json!([{"line": "1", "sku": "BOOT-44", "description": "Hiking boot, size 44", "qty": "2"}])
    );
    assert_eq!(body["ship_to"]["name"], "Anna Gruber");
    // An own shipment: the supplier's invoicing system adds the invoice; only the packing
    // slip is rendered here.
    assert_eq!(m.not_rendered, [Document::Invoice, Document::ShippingLabel]);
    assert_eq!(
        body["documents_to_follow"],
        json!(["invoice", "shipping_label"])
    );
    let docs: Vec<&str> = body["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        docs,
        [
            "packing-slip-WEB-1003-2.html",
            "packing-slip-WEB-1003-2.pdf"
        ]
    );
    assert!(body.get("notice").is_none());
    assert!(
        m.event.is_none(),
        "own shipments are not consignment events"
    );
}

#[test]
fn forwarding_is_reproducible_and_the_date_comes_from_the_options() {
    let inventory = sample_inventory();
    let order = sample_order("WEB-1004");
    let plan = demo_router().route(&order, &inventory).unwrap();
    let a = consignment::forward(&plan, &order, &inventory, &options("2026-11-30")).unwrap();
    let b = consignment::forward(&plan, &order, &inventory, &options("2026-11-30")).unwrap();
    assert_eq!(
        a, b,
        "no clock, no randomness: the same input gives the same bytes"
    );
    let later = consignment::forward(
        &plan,
        &order,
        &inventory,
        &options("2026-12-02T09:15:00+01:00"),
    )
    .unwrap();
    assert_eq!(later[2].id, a[2].id, "a retry keeps its Message-ID");
    let mail = MessageParser::default()
        .parse(later[2].body.as_bytes())
        .unwrap();
    assert_eq!(
        mail.header_raw("Date").map(str::trim),
        Some("Wed, 02 Dec 2026 09:15:00 +0100")
    );
}

#[test]
fn a_consignment_shipment_carries_its_settlement_event() {
    let messages = forward_sample("WEB-1004");
    let event = messages[2].event.clone().unwrap();
    assert_eq!(
        event,
        Event {
            kind: EventKind::Shipment,
            date: "2026-11-30".into(),
            warehouse: "CON-HAM".into(),
            lines: vec![EventLine {
                sku: "JKT-M".into(),
                qty: Decimal::ONE
            }],
            reference: Some("WEB-1004/3".into()),
        }
    );
}

#[test]
fn held_and_backordered_plans_have_nothing_to_forward() {
    // B2B-2002 is held (20 STOVE-GAS cannot ship complete), MKT-3003 fully backordered.
    assert!(forward_sample("B2B-2002").is_empty());
    assert!(forward_sample("MKT-3003").is_empty());
}

// ---- never an invoice ---------------------------------------------------------------------

const SKUS: [&str; 4] = ["TENT-2P", "TENT-4P", "SB-200", "MAT-AIR"];

/// Every consignment terms variant × forward method, each shipping one order.
fn every_consignment_kind() -> (PreparedInventory, Vec<Order>) {
    let mut inv = sample_inventory_json();
    let mut warehouses = Vec::new();
    let mut stock = Vec::new();
    for (i, (pro_forma, forward)) in [
        (false, json!({"method": "email", "to": "a@retail.example"})),
        (true, json!({"method": "email", "to": "b@retail.example"})),
        (
            false,
            json!({"method": "api", "endpoint": "https://c.example/api"}),
        ),
        (
            true,
            json!({"method": "api", "endpoint": "https://d.example/api"}),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let id = format!("CON-{i}");
        warehouses.push(
            json!({"id": id, "kind": "consignment", "owner": format!("Retailer {i}"),
            "country": "DE", "terms": {"pro_forma": pro_forma}, "forward": forward}),
        );
        // One SKU per location, so order i can only ship from CON-i.
        stock.push(json!({"warehouse": id, "sku": SKUS[i], "on_hand": 5}));
    }
    inv["warehouses"] = Value::Array(warehouses);
    inv["stock"] = Value::Array(stock);
    let inventory = prepared(inv);
    let orders = (0..4)
        .map(|i| {
            serde_json::from_value(json!({"id": format!("O-{i}"), "channel": "webshop",
                "ship_to": {"country": "DE"}, "lines": [{"id": "1", "sku": SKUS[i], "qty": 1}]}))
            .unwrap()
        })
        .collect();
    (inventory, orders)
}

fn assert_no_invoice(m: &ForwardMessage) {
    assert!(
        !m.documents.iter().any(|d| d.document == Document::Invoice),
        "{}",
        m.file_name
    );
    assert!(
        !m.not_rendered.contains(&Document::Invoice),
        "{}",
        m.file_name
    );
    for d in &m.documents {
        assert!(!d.file_name.contains("invoice"), "{}", d.file_name);
        let text = match d.format {
            consignment::DocumentFormat::Html => d.content.clone(),
            consignment::DocumentFormat::Pdf => pdf_text(d),
        };
        // The only mention of an invoice allowed is the pro forma's denial of being one.
        let rest = text.to_lowercase().replace("not an invoice", "");
        assert!(
            !rest.contains("invoice"),
            "{} mentions an invoice:\n{text}",
            d.file_name
        );
    }
    if m.content_type == "message/rfc822" {
        let mail = MessageParser::default().parse(m.body.as_bytes()).unwrap();
        for a in mail.attachments() {
            let name = a.attachment_name().unwrap_or("");
            assert!(!name.contains("invoice"), "{name}");
        }
    } else {
        let body: Value = serde_json::from_str(&m.body).unwrap();
        for d in body["documents"].as_array().unwrap() {
            assert_ne!(d["document"], "invoice");
        }
        assert!(!body["documents_to_follow"]
            .as_array()
            .unwrap()
            .contains(&json!("invoice")));
    }
}

#[test]
fn no_rendered_consignment_document_set_is_or_contains_an_invoice() {
    // The sample orders (two consignment shipments) and one order per terms variant and
    // forward method.
    let inventory = sample_inventory();
    let router = demo_router();
    let mut checked = 0;
    for order in sample_orders() {
        let plan = router.route(&order, &inventory).unwrap();
        for m in consignment::forward(&plan, &order, &inventory, &options("2026-11-30")).unwrap() {
            if m.kind == WarehouseKind::Consignment {
                assert_no_invoice(&m);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 2, "WEB-1004 (CON-HAM) and WEB-1005 (CON-ZRH)");
    let (inventory, orders) = every_consignment_kind();
    let router = Router::new("", RouterOptions::default()).unwrap();
    let mut pro_formas = 0;
    for (i, order) in orders.iter().enumerate() {
        let plan = router.route(order, &inventory).unwrap();
        let messages =
            consignment::forward(&plan, order, &inventory, &options("2026-11-30")).unwrap();
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0].warehouse, format!("CON-{i}"));
        assert_eq!(messages[0].kind, WarehouseKind::Consignment);
        assert_no_invoice(&messages[0]);
        assert_eq!(
            messages[0].documents.len(),
            2,
            "HTML and PDF of one document"
        );
        if messages[0].documents[0].document == Document::ProForma {
            pro_formas += 1;
            let text = pdf_text(&messages[0].documents[1]);
            assert!(text.contains(PRO_FORMA_NOTICE), "{text}");
        }
    }
    assert_eq!(pro_formas, 2, "CON-1 and CON-3 have terms.pro_forma");
}

#[test]
fn a_plan_listing_an_invoice_for_consignment_goods_is_refused() {
    let inventory = sample_inventory();
    let order = sample_order("WEB-1004");
    let mut plan = demo_router().route(&order, &inventory).unwrap();
    plan.shipments[2].documents.push(Document::Invoice);
    let e = consignment::forward(&plan, &order, &inventory, &options("2026-11-30")).unwrap_err();
    assert_eq!(e.code, "plan.invalid");
    assert!(e.message.contains("lists an invoice"), "{}", e.message);
    assert_eq!(e.diagnostics[0].warehouse.as_deref(), Some("CON-HAM"));
    assert_eq!(e.diagnostics[0].order.as_deref(), Some("WEB-1004"));
}

// ---- forwarding errors ----------------------------------------------------------------------

#[test]
fn forwarding_errors_name_the_field() {
    let inventory = sample_inventory();
    let order = sample_order("WEB-1004");
    let plan = demo_router().route(&order, &inventory).unwrap();

    let e = consignment::forward(&plan, &order, &inventory, &options("30.11.2026")).unwrap_err();
    assert_eq!(e.code, "options.invalid");
    assert_eq!(e.diagnostics[0].path.as_deref(), Some("date"));

    let other = sample_order("WEB-1001");
    let e = consignment::forward(&plan, &other, &inventory, &options("2026-11-30")).unwrap_err();
    assert_eq!(e.code, "data.invalid");
    assert!(
        e.message.contains("`WEB-1004`") && e.message.contains("`WEB-1001`"),
        "{}",
        e.message
    );

    let mut bad = plan.clone();
    bad.shipments[0].warehouse = "NOWHERE".into();
    let e = consignment::forward(&bad, &order, &inventory, &options("2026-11-30")).unwrap_err();
    assert_eq!(
        e.diagnostics[0].path.as_deref(),
        Some("shipments[0].warehouse")
    );

    let mut bad = plan.clone();
    bad.shipments[1].lines[0].line = "9".into();
    let e = consignment::forward(&bad, &order, &inventory, &options("2026-11-30")).unwrap_err();
    assert_eq!(
        e.diagnostics[0].path.as_deref(),
        Some("shipments[1].lines[0]")
    );

    // No supplier: the email has no sender. Own (JSON) shipments would still work, but
    // the consignment one fails with the field to add.
    let mut inv = sample_inventory_json();
    inv.as_object_mut().unwrap().remove("supplier");
    let e =
        consignment::forward(&plan, &order, &prepared(inv), &options("2026-11-30")).unwrap_err();
    assert_eq!(e.code, "data.invalid");
    assert_eq!(e.diagnostics[0].path.as_deref(), Some("supplier"));

    let mut inv = sample_inventory_json();
    inv["supplier"].as_object_mut().unwrap().remove("email");
    let e =
        consignment::forward(&plan, &order, &prepared(inv), &options("2026-11-30")).unwrap_err();
    assert_eq!(e.diagnostics[0].path.as_deref(), Some("supplier.email"));
}

#[test]
fn order_data_cannot_inject_email_headers() {
    let inventory = sample_inventory();
    let mut order = sample_order("WEB-1004");
    order.id = "WEB-1004\r\nBcc: thief@evil.example".into();
    order.ship_to.name = Some("Eve\r\nBcc: thief@evil.example".into());
    let plan = demo_router().route(&order, &inventory).unwrap();
    let messages = consignment::forward(&plan, &order, &inventory, &options("2026-11-30")).unwrap();
    let mail = MessageParser::default()
        .parse(messages[2].body.as_bytes())
        .unwrap();
    assert!(mail.header_raw("Bcc").is_none(), "{}", messages[2].body);
    assert_eq!(
        mail.to().and_then(|a| a.first()).and_then(|a| a.address()),
        Some("orders@hamburg-outdoor.example")
    );
    assert!(mail.subject().unwrap().contains("WEB-1004"));
}

#[test]
fn many_lines_continue_on_further_pdf_pages() {
    // 70 lines at 13 pt each cannot fit on one A4 page.
    let mut inv = sample_inventory_json();
    let skus: Vec<String> = (0..70).map(|i| format!("SKU-{i:02}")).collect();
    inv["stock"] = Value::Array(
        skus.iter()
            .map(|s| json!({"warehouse": "CON-HAM", "sku": s, "on_hand": 1}))
            .collect(),
    );
    let inventory = prepared(inv);
    let order: Order = serde_json::from_value(json!({"id": "BIG", "channel": "webshop",
        "ship_to": {"country": "DE"},
        "lines": skus.iter().enumerate().map(|(i, s)| json!({"id": i.to_string(), "sku": s, "qty": 1})).collect::<Vec<_>>()}))
    .unwrap();
    let plan = Router::new("", RouterOptions::default())
        .unwrap()
        .route(&order, &inventory)
        .unwrap();
    let m = &consignment::forward(&plan, &order, &inventory, &options("2026-11-30")).unwrap()[0];
    let pdf = lopdf::Document::load_mem(&m.documents[1].bytes().unwrap()).unwrap();
    let pages = pdf.get_pages().len();
    assert!(pages >= 2, "{pages} page(s)");
    let text = pdf
        .extract_text(&pdf.get_pages().keys().copied().collect::<Vec<_>>())
        .unwrap();
    for s in &skus {
        assert!(text.contains(s.as_str()), "{s} missing");
    }
    assert!(text.contains(&format!("page {pages} of {pages}")));
}

// ---- inventory validation --------------------------------------------------------------

#[test]
fn new_inventory_fields_are_validated_by_field() {
    let mut inv = sample_inventory_json();
    inv["warehouses"][4]["terms"]["period_end"] = json!("2026-02-30");
    inv["warehouses"][5]["terms"]["prices"]["LANTERN"] = json!(-1);
    inv["products"][0]["unit_value"] = json!("-5");
    inv["supplier"]["email"] = json!("dispatch at alpenwerk");
    inv["supplier"]["name"] = json!("Alpenwerk\r\nBcc: x@y.example");
    let e = PreparedInventory::new(serde_json::from_value(inv).unwrap()).unwrap_err();
    let paths: Vec<&str> = e
        .diagnostics
        .iter()
        .filter_map(|d| d.path.as_deref())
        .collect();
    for p in [
        "warehouses[4].terms.period_end",
        "warehouses[5].terms.prices.LANTERN",
        "products[0].unit_value",
        "supplier.email",
        "supplier.name",
    ] {
        assert!(paths.contains(&p), "{p} not in {paths:?}");
    }
    let period_end = e
        .diagnostics
        .iter()
        .find(|d| d.path.as_deref() == Some("warehouses[4].terms.period_end"))
        .unwrap();
    assert_eq!(
        period_end.message,
        "`warehouses[4].terms.period_end` must be a date written YYYY-MM-DD, got `2026-02-30`"
    );
}

#[test]
fn the_period_end_of_the_sample_locations() {
    let inventory = sample_inventory();
    let zrh = &inventory.warehouses()[6];
    assert_eq!(zrh.id, "CON-ZRH");
    // terms.period_end 2026-12-31: still shipping on New Year's Eve, not on New Year's Day.
    let day = |d: &str| consignment::dates::parse_date(d).unwrap();
    assert_eq!(consignment::period_end_passed(zrh, day("2026-12-31")), None);
    assert_eq!(
        consignment::period_end_passed(zrh, day("2027-01-01")),
        Some("2026-12-31")
    );
    assert_eq!(
        consignment::period_end_passed(&inventory.warehouses()[0], day("2099-01-01")),
        None
    );
}

// ---- settlement --------------------------------------------------------------------------

fn sample_settlement(period: &str) -> consignment::Settlement {
    let inventory = sample_inventory();
    let events = settlement::parse_events(&inventory, &read("examples/events.jsonl")).unwrap();
    consignment::settle(&inventory, &events, &Period::parse(period).unwrap()).unwrap()
}

fn sku<'a>(l: &'a consignment::LocationSettlement, sku: &str) -> &'a consignment::SkuSettlement {
    l.skus.iter().find(|s| s.sku == sku).unwrap()
}

fn d(v: &str) -> Decimal {
    v.parse().unwrap()
}

#[test]
fn the_sample_month_settles_per_retailer() {
    let s = sample_settlement("2026-11");
    assert_eq!(s.period.from, "2026-11-01");
    assert_eq!(s.period.to, "2026-11-30");
    let ids: Vec<&str> = s.locations.iter().map(|l| l.warehouse.as_str()).collect();
    assert_eq!(ids, ["CON-HAM", "CON-GRZ", "CON-ZRH"]);

    // CON-HAM (sales reported). JKT-M: 7 delivered in October; in November 1 sold
    // (11-03), 1 shipped for order WEB-0987 (11-14); expected 5, counted 4 on 11-28.
    let ham = &s.locations[0];
    let jkt = sku(ham, "JKT-M");
    assert_eq!(
        (
            jkt.opening,
            jkt.sent,
            jkt.sold,
            jkt.forwarded,
            jkt.returned,
            jkt.on_hand,
            jkt.discrepancy
        ),
        (d("7"), d("0"), d("1"), d("1"), d("0"), d("4"), d("1"))
    );
    assert_eq!(jkt.counted.as_deref(), Some("2026-11-28"));
    assert_eq!(ham.discrepancies.len(), 1);
    assert_eq!(
        ham.discrepancies[0].message,
        "1 of `JKT-M` missing at `CON-HAM`: counted 4 on 2026-11-28, expected 5"
    );
    // TENT-2P: opening 6, 2 delivered on 11-06, 1 sold on 11-03 and 1 on 11-20: 6 left.
    let tent = sku(ham, "TENT-2P");
    assert_eq!(
        (tent.opening, tent.sent, tent.sold, tent.on_hand),
        (d("6"), d("2"), d("2"), d("6"))
    );
    assert_eq!(tent.sent_value, Some(d("350")), "2 × 175");
    // BOOT-44: 1 returned (RMA-1187), 4 left.
    let boot = sku(ham, "BOOT-44");
    assert_eq!(
        (boot.returned, boot.on_hand, boot.discrepancy),
        (d("1"), d("4"), d("0"))
    );
    // Invoice: sold goods only, at terms.prices: TENT-2P 2 × 175, SB-200 1 × 90,
    // BOOT-42 1 × 130, JKT-L 1 × 210, JKT-M 1 × 210 = 990. The forwarded JKT-M and the
    // returned BOOT-44 are not invoiced.
    let invoiced: Vec<(&str, Decimal)> = ham
        .invoice
        .iter()
        .map(|l| (l.sku.as_str(), l.qty))
        .collect();
    assert_eq!(
        invoiced,
        [
            ("BOOT-42", d("1")),
            ("JKT-L", d("1")),
            ("JKT-M", d("1")),
            ("SB-200", d("1")),
            ("TENT-2P", d("2"))
        ]
    );
    assert_eq!(ham.invoice_total, d("990"));
    assert_eq!(ham.currency.as_deref(), Some("EUR"));
    // Returns: everything on hand, due by the period end 2027-06-30 (not yet due).
    let returns: Vec<(&str, Decimal)> = ham
        .returns
        .iter()
        .map(|r| (r.sku.as_str(), r.qty))
        .collect();
    assert_eq!(
        returns,
        [
            ("BOOT-42", d("3")),
            ("BOOT-44", d("4")),
            ("JKT-L", d("3")),
            ("JKT-M", d("4")),
            ("SB-200", d("5")),
            ("TENT-2P", d("6"))
        ]
    );
    assert!(ham
        .returns
        .iter()
        .all(|r| r.due_by.as_deref() == Some("2027-06-30") && !r.due));

    // CON-GRZ (terms.sales = from_syncs): units missing at a count are sales. TENT-2P and
    // MAT-AIR 1 each by 11-15, JKT-M 1 by 11-30; the forwarded LANTERN is not a sale.
    let grz = &s.locations[1];
    assert_eq!(grz.sales, SalesSource::FromSyncs);
    let sold: Vec<(&str, Decimal)> = grz
        .invoice
        .iter()
        .map(|l| (l.sku.as_str(), l.qty))
        .collect();
    assert_eq!(
        sold,
        [("JKT-M", d("1")), ("MAT-AIR", d("1")), ("TENT-2P", d("1"))]
    );
    assert_eq!(grz.invoice_total, d("448"), "210 + 63 + 175");
    assert!(grz.discrepancies.is_empty());
    assert_eq!(sku(grz, "LANTERN").forwarded, d("1"));

    // CON-ZRH: 1 TENT-4P sold at CHF 340.
    let zrh = &s.locations[2];
    assert_eq!(zrh.currency.as_deref(), Some("CHF"));
    assert_eq!(zrh.invoice_total, d("340"));

    for l in &s.locations {
        for s in &l.skus {
            assert!(settlement::balances(s), "{} {}: {s:?}", l.warehouse, s.sku);
        }
    }
}

#[test]
fn the_sample_month_ends_with_the_stock_the_inventory_shows() {
    // examples/events.jsonl brings every consignment stock row of examples/inventory.json
    // to its on_hand by 2026-11-30.
    let s = sample_settlement("2026-11");
    let inv = sample_inventory_json();
    for row in inv["stock"].as_array().unwrap() {
        let w = row["warehouse"].as_str().unwrap();
        let Some(l) = s.locations.iter().find(|l| l.warehouse == w) else {
            continue;
        };
        let on_hand: Decimal = serde_json::from_value(row["on_hand"].clone()).unwrap();
        assert_eq!(
            sku(l, row["sku"].as_str().unwrap()).on_hand,
            on_hand,
            "{w} {}",
            row["sku"]
        );
    }
}

#[test]
fn returns_are_due_once_the_consignment_period_has_ended() {
    // CON-ZRH's period ends 2026-12-31: in the December settlement its stock is due back.
    let dec = sample_settlement("2026-12");
    let zrh = dec
        .locations
        .iter()
        .find(|l| l.warehouse == "CON-ZRH")
        .unwrap();
    assert!(zrh.period_ended);
    assert!(zrh.returns.iter().all(|r| r.due));
    let returns: Vec<(&str, Decimal)> = zrh
        .returns
        .iter()
        .map(|r| (r.sku.as_str(), r.qty))
        .collect();
    assert_eq!(
        returns,
        [("JKT-L", d("2")), ("SB-200", d("3")), ("TENT-4P", d("2"))]
    );
    // December has no events: everything opens and closes at November's figures.
    let tent = sku(zrh, "TENT-4P");
    assert_eq!(
        (tent.opening, tent.sold, tent.on_hand),
        (d("2"), d("0"), d("2"))
    );
    let ham = dec
        .locations
        .iter()
        .find(|l| l.warehouse == "CON-HAM")
        .unwrap();
    assert!(!ham.period_ended && ham.returns.iter().all(|r| !r.due));
}

fn small_inventory(sales: &str) -> PreparedInventory {
    prepared(json!({
        "warehouses": [
            {"id": "OWN", "kind": "own"},
            {"id": "SHOP", "kind": "consignment", "owner": "Shop",
             "terms": {"prices": {"A": "12.5"}, "sales": sales, "period_end": "2026-11-20"},
             "forward": {"method": "email", "to": "shop@example.com"}}
        ],
        "channels": [{"id": "web"}]
    }))
}

fn ev(kind: &str, date: &str, sku: &str, qty: i64) -> Event {
    serde_json::from_value(json!({"type": kind, "date": date, "warehouse": "SHOP",
        "lines": [{"sku": sku, "qty": qty}]}))
    .unwrap()
}

#[test]
fn more_units_out_than_in_is_a_negative_discrepancy_not_negative_stock() {
    let inv = small_inventory("reported");
    let events = [
        ev("delivery", "2026-11-01", "A", 2),
        ev("sale", "2026-11-05", "A", 3),
    ];
    let s = consignment::settle(&inv, &events, &Period::parse("2026-11").unwrap()).unwrap();
    let a = &s.locations[0].skus[0];
    // 2 sent, 3 reported sold: 0 on hand and one unit the log cannot account for.
    assert_eq!(
        (a.sent, a.sold, a.on_hand, a.discrepancy),
        (d("2"), d("3"), d("0"), d("-1"))
    );
    assert!(settlement::balances(a));
    assert_eq!(s.locations[0].discrepancies[0].units, d("-1"));
    // The sold units are still invoiced: the retailer reported them sold.
    assert_eq!(s.locations[0].invoice_total, d("37.5"), "3 × 12.5");
}

#[test]
fn events_before_the_period_open_it_and_events_after_it_are_ignored() {
    let inv = small_inventory("reported");
    let events = [
        ev("sale", "2026-12-02", "A", 1),
        ev("delivery", "2026-10-01", "A", 5),
        ev("sale", "2026-10-10", "A", 1),
        ev("sale", "2026-11-10", "A", 1),
    ];
    let s = consignment::settle(&inv, &events, &Period::parse("2026-11").unwrap()).unwrap();
    let a = &s.locations[0].skus[0];
    // October: 5 − 1 = 4 open November; 1 sold in November; December's sale is not yet.
    assert_eq!((a.opening, a.sold, a.on_hand), (d("4"), d("1"), d("3")));
    assert!(
        s.locations[0].period_ended,
        "period_end 2026-11-20 lies in November"
    );
    assert!(s.locations[0].returns[0].due);
}

#[test]
fn from_syncs_a_short_count_is_a_sale_and_a_surplus_a_discrepancy() {
    let inv = small_inventory("from_syncs");
    let events = [
        ev("delivery", "2026-11-01", "A", 5),
        ev("sync", "2026-11-10", "A", 3),
        ev("sync", "2026-11-20", "A", 4),
    ];
    let s = consignment::settle(&inv, &events, &Period::parse("2026-11").unwrap()).unwrap();
    let a = &s.locations[0].skus[0];
    // 2 missing on 11-10 are sold; 1 more than expected on 11-20 is unaccounted for.
    assert_eq!(
        (a.sold, a.on_hand, a.discrepancy),
        (d("2"), d("4"), d("-1"))
    );
    assert!(settlement::balances(a));
}

#[test]
fn a_sold_sku_without_a_price_is_reported_not_invoiced_at_zero() {
    let inv = small_inventory("reported");
    let events = [
        ev("delivery", "2026-11-01", "B", 2),
        ev("sale", "2026-11-02", "B", 1),
    ];
    let s = consignment::settle(&inv, &events, &Period::parse("2026-11").unwrap()).unwrap();
    let l = &s.locations[0];
    assert_eq!(l.invoice[0].unit_price, None);
    assert_eq!(l.invoice[0].amount, None);
    assert_eq!(l.invoice_total, d("0"));
    assert_eq!(
        l.issues,
        ["no price for `B` in `terms.prices` of `SHOP`: 1 sold units are not invoiced"]
    );
}

#[test]
fn bad_event_lines_are_reported_with_line_and_field() {
    let inv = small_inventory("reported");
    let text = [
        r#"{"type": "delivery", "date": "2026-11-01", "warehouse": "SHOP", "lines": [{"sku": "A", "qty": 2}]}"#,
        "",
        r#"{"type": "sale", "date": "2026-11-31", "warehouse": "OWN", "lines": [{"sku": "A", "qty": 0}]}"#,
        r#"{"type": "theft", "date": "2026-11-02", "warehouse": "SHOP", "lines": []}"#,
        r#"{"type": "sync", "date": "2026-11-02", "warehouse": "SHOP", "lines": [{"sku": "A", "qty": "x"}]}"#,
    ]
    .join("\n");
    let e = settlement::parse_events(&inv, &text).unwrap_err();
    let found: Vec<(Option<u32>, Option<&str>)> = e
        .diagnostics
        .iter()
        .map(|d| (d.line, d.path.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (Some(3), Some("date")),
            (Some(3), Some("warehouse")),
            (Some(3), Some("lines[0].qty")),
            (Some(4), Some("type")),
            (Some(5), Some("lines[0].qty")),
        ]
    );
    assert!(e.message.starts_with("line 3: "), "{}", e.message);
    assert!(e.diagnostics[1]
        .message
        .contains("`OWN` is an own warehouse"));
}

// ---- the identity, for any log ------------------------------------------------------------

/// What really happens at a location; `Lose` is never logged (theft, breakage).
#[derive(Debug, Clone)]
enum Truth {
    Deliver(u32),
    Sell(u32),
    Ship(u32),
    Return(u32),
    Lose(u32),
    Count,
}

fn truth() -> impl Strategy<Value = Truth> {
    prop_oneof![
        (1u32..6).prop_map(Truth::Deliver),
        (1u32..4).prop_map(Truth::Sell),
        (1u32..3).prop_map(Truth::Ship),
        (1u32..3).prop_map(Truth::Return),
        (1u32..2).prop_map(Truth::Lose),
        Just(Truth::Count),
    ]
}

fn day(i: usize) -> String {
    format!("2026-11-{:02}", 1 + i % 28)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// A retailer that reports every sale and counts its stock at the end: the settlement
    /// finds exactly the units lost unlogged, and the figures balance.
    #[test]
    fn reported_sales_find_exactly_the_lost_units(steps in prop::collection::vec(truth(), 1..30)) {
        let inv = small_inventory("reported");
        let mut stock = 0u32;
        let (mut sent, mut sold, mut forwarded, mut returned, mut lost) = (0u32, 0u32, 0u32, 0u32, 0u32);
        let mut events = Vec::new();
        for (i, step) in steps.iter().enumerate() {
            // Days ascend with the steps so log order is real order.
            let date = day(i * 27 / steps.len().max(1));
            let mut take = |n: u32, kind: &str, total: &mut u32, logged: bool| {
                let n = n.min(stock);
                if n > 0 {
                    stock -= n;
                    *total += n;
                    if logged {
                        events.push(ev(kind, &date, "A", i64::from(n)));
                    }
                }
            };
            match step {
                Truth::Deliver(n) => { stock += n; sent += n; events.push(ev("delivery", &date, "A", i64::from(*n))); }
                Truth::Sell(n) => take(*n, "sale", &mut sold, true),
                Truth::Ship(n) => take(*n, "shipment", &mut forwarded, true),
                Truth::Return(n) => take(*n, "return", &mut returned, true),
                Truth::Lose(n) => take(*n, "", &mut lost, false),
                Truth::Count => events.push(ev("sync", &date, "A", i64::from(stock))),
            }
        }
        events.push(ev("sync", "2026-11-30", "A", i64::from(stock)));
        let s = consignment::settle(&inv, &events, &Period::parse("2026-11").unwrap()).unwrap();
        let a = &s.locations[0].skus[0];
        prop_assert!(settlement::balances(a));
        prop_assert_eq!(a.opening, Decimal::ZERO);
        prop_assert_eq!(a.sent, Decimal::from(sent));
        prop_assert_eq!(a.sold, Decimal::from(sold));
        prop_assert_eq!(a.forwarded, Decimal::from(forwarded));
        prop_assert_eq!(a.returned, Decimal::from(returned));
        prop_assert_eq!(a.on_hand, Decimal::from(stock));
        prop_assert_eq!(a.discrepancy, Decimal::from(lost));
        let flagged: Decimal = s.locations[0].discrepancies.iter().map(|d| d.units).sum();
        prop_assert_eq!(flagged, Decimal::from(lost), "every unaccounted unit is listed");
        prop_assert_eq!(s.locations[0].invoice_total, Decimal::from(sold) * d("12.5"));
    }

    /// Any log, however inconsistent, in any period: the figures balance per SKU, nothing
    /// on hand is negative, and the listed discrepancies add up to the column.
    #[test]
    fn any_log_balances(
        raw in prop::collection::vec((0usize..5, 0u32..60, 0usize..2, 0u32..8), 0..40),
        month in 10u32..13,
    ) {
        let inv = small_inventory("reported");
        let kinds = ["delivery", "sale", "shipment", "return", "sync"];
        let events: Vec<Event> = raw
            .iter()
            .map(|&(k, day, s, q)| {
                let kind = kinds[k];
                let q = if kind == "sync" { q } else { q.max(1) };
                let date = format!("2026-{:02}-{:02}", 10 + day / 28, 1 + day % 28);
                ev(kind, &date, ["A", "B"][s], i64::from(q))
            })
            .collect();
        let period = Period::parse(&format!("2026-{month:02}")).unwrap();
        let s = consignment::settle(&inv, &events, &period).unwrap();
        for l in &s.locations {
            for k in &l.skus {
                prop_assert!(settlement::balances(k), "{k:?}");
                prop_assert!(k.on_hand >= Decimal::ZERO);
                let listed: Decimal = l.discrepancies.iter().filter(|d| d.sku == k.sku).map(|d| d.units).sum();
                prop_assert_eq!(listed, k.discrepancy);
            }
        }
    }
}

// ---- docs/consignment.md -------------------------------------------------------------------

/// Fenced blocks of a Markdown file: (info string, body).
fn fenced_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in markdown.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.trim().to_string(), String::new())),
            (Some(_), Some(_)) => out.extend(current.take()),
            (Some((_, body)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

fn block<'a>(blocks: &'a [(String, String)], info: &str) -> &'a str {
    let found: Vec<&str> = blocks
        .iter()
        .filter(|(i, _)| i == info)
        .map(|(_, b)| b.as_str())
        .collect();
    assert_eq!(
        found.len(),
        1,
        "docs/consignment.md needs exactly one ```{info} block"
    );
    found[0]
}

#[test]
fn every_fenced_block_of_the_consignment_doc_is_checked() {
    let blocks = fenced_blocks(&read("docs/consignment.md"));
    let known = [
        "jsonl events",
        "json settlement",
        "json order",
        "json forward-request",
        "sh",
        "text",
        "text illustration",
    ];
    for (info, _) in &blocks {
        assert!(known.contains(&info.as_str()), "unchecked block ```{info}");
    }
}

#[test]
fn the_doc_event_log_settles_to_the_doc_settlement() {
    let blocks = fenced_blocks(&read("docs/consignment.md"));
    let inventory = sample_inventory();
    let events = settlement::parse_events(&inventory, block(&blocks, "jsonl events")).unwrap();
    let s = consignment::settle(&inventory, &events, &Period::parse("2026-11").unwrap()).unwrap();
    let documented: Value = serde_json::from_str(block(&blocks, "json settlement")).unwrap();
    let ham = s
        .locations
        .iter()
        .find(|l| l.warehouse == "CON-HAM")
        .unwrap();
    assert_eq!(serde_json::to_value(ham).unwrap(), documented);
}

#[test]
fn the_doc_forward_request_is_what_the_doc_order_produces() {
    let blocks = fenced_blocks(&read("docs/consignment.md"));
    let mut inventory = sample_inventory();
    let order: Order = serde_json::from_str(block(&blocks, "json order")).unwrap();
    // Routed on the day of the documents: CON-GRZ's period (ends 2027-03-31) still runs.
    let day = stockroute::RouteOptions {
        as_of: Some("2026-11-30".into()),
        ..Default::default()
    };
    let plan = demo_router()
        .route_with(&order, &mut inventory, &day)
        .unwrap();
    let messages = consignment::forward(&plan, &order, &inventory, &options("2026-11-30")).unwrap();
    assert_eq!(messages.len(), 1);
    let mut produced: Value = serde_json::from_str(&messages[0].body).unwrap();
    for d in produced["documents"].as_array_mut().unwrap() {
        assert!(!d["content"].as_str().unwrap().is_empty());
        d["content"] = json!("…");
    }
    let documented: Value = serde_json::from_str(block(&blocks, "json forward-request")).unwrap();
    assert_eq!(produced, documented);
    let request: consignment::ForwardRequest = serde_json::from_value(documented).unwrap();
    assert_eq!(request.schema, consignment::FORWARD_SCHEMA);
}
