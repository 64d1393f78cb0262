#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Runs every rule test case in `rules/cases/<rule>/*.json` against `rules/<rule>.rhai`:
//! adding a case is adding a file. See `docs/test-cases.md` for the schema.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

fn rule_files() -> Vec<PathBuf> {
    sorted_entries(&root().join("rules"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rhai"))
        .collect()
}

fn case_files(dir: &Path) -> Vec<PathBuf> {
    sorted_entries(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect()
}

#[test]
fn every_rule_case_passes() {
    let cases_dir = root().join("rules").join("cases");
    let mut failed = Vec::new();
    let mut ran = 0;
    for dir in sorted_entries(&cases_dir)
        .into_iter()
        .filter(|p| p.is_dir())
    {
        let rule = dir.file_name().unwrap().to_string_lossy().to_string();
        let rule_path = root().join("rules").join(format!("{rule}.rhai"));
        let Ok(source) = fs::read_to_string(&rule_path) else {
            failed.push(format!(
                "rules/cases/{rule}/: no rule file rules/{rule}.rhai"
            ));
            continue;
        };
        for case in case_files(&dir) {
            let text = fs::read_to_string(&case).unwrap();
            let files = stockroute::cases::file_reader(&case);
            let name = format!("{rule}.rhai");
            let outcome = stockroute::cases::run_case(&text, &source, Some(&name), &files);
            // The same case on the interpreter alone, the reference semantics: compiled
            // hooks must not change any outcome, plan or error.
            let reference = stockroute::cases::run_case_with(
                &text,
                &source,
                Some(&name),
                &files,
                stockroute::Execution::Interpreted,
            );
            ran += 1;
            let shown_case = case.strip_prefix(root()).unwrap().display().to_string();
            if reference.actual != outcome.actual || reference.passed != outcome.passed {
                failed.push(format!(
                    "{shown_case}: compiled and interpreted hooks disagree:\n    compiled:    {}\n    interpreted: {}",
                    outcome.actual, reference.actual
                ));
            }
            let shown = case.strip_prefix(root()).unwrap().display().to_string();
            if outcome.description.trim().is_empty() {
                failed.push(format!("{shown}: the case has no `description`"));
            }
            if !outcome.passed {
                failed.push(format!(
                    "{shown}:\n    {}\n    actual: {}",
                    outcome.failures.join("\n    "),
                    serde_json::to_string(&outcome.actual).unwrap()
                ));
            }
        }
    }
    println!("{ran} rule cases run");
    assert!(ran > 0, "no rule cases found under rules/cases/");
    assert!(
        failed.is_empty(),
        "{} of {ran} rule cases failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

#[test]
fn every_rule_set_checks_clean_and_has_at_least_three_cases() {
    let rules = rule_files();
    assert!(
        rules.len() >= 10,
        "expected at least ten rule sets, found {}",
        rules.len()
    );
    let mut problems = Vec::new();
    for path in rules {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let source = fs::read_to_string(&path).unwrap();
        if !source.trim_start().starts_with("//") {
            problems.push(format!(
                "rules/{stem}.rhai: starts without a comment header"
            ));
        }
        let report = stockroute::check(&source, Some(&format!("{stem}.rhai")));
        for d in &report.diagnostics {
            problems.push(format!("rules/{stem}.rhai: {d}"));
        }
        let dir = root().join("rules").join("cases").join(&stem);
        let n = if dir.is_dir() {
            case_files(&dir).len()
        } else {
            0
        };
        if n < 3 {
            problems.push(format!(
                "rules/{stem}.rhai: {n} case(s) in rules/cases/{stem}/, at least 3 needed"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every rule set must at least run on the sample data the editor and the CLI demo load:
/// a runtime error (a typo in a property name, a wrong return type) on any sample order
/// or in availability would be the first thing a merchant sees.
#[test]
fn every_rule_set_runs_on_the_sample_data() {
    let inventory: stockroute::Inventory = stockroute::json::from_str(
        &fs::read_to_string(root().join("examples/inventory.json")).unwrap(),
        "inventory",
    )
    .unwrap();
    let inventory = stockroute::PreparedInventory::new(inventory).unwrap();
    let orders: Vec<stockroute::Order> = fs::read_to_string(root().join("examples/orders.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| stockroute::json::from_str(l, "order").unwrap())
        .collect();
    assert!(orders.len() >= 12, "expected about 12 sample orders");
    let mut problems = Vec::new();
    for path in rule_files() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let source = fs::read_to_string(&path).unwrap();
        let router = stockroute::Router::new(
            &source,
            stockroute::RouterOptions {
                name: Some(name.clone()),
                ..Default::default()
            },
        )
        .unwrap();
        for (order, result) in orders.iter().zip(router.route_batch(&orders, &inventory)) {
            if let Err(e) = result {
                problems.push(format!("{name}: order `{}`: {e}", order.id));
            }
        }
        if let Err(e) = router.available(&inventory, None) {
            problems.push(format!("{name}: availability: {e}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `cargo test`, the CLI and the editor find a case's files the same way: the runner asks
/// for exactly the references its outcome lists (every one of them, nothing else), each
/// resolved against the case file's folder; the CLI and the editor read `outcome.files`.
#[test]
fn the_files_a_case_references_are_the_ones_its_outcome_lists() {
    use std::cell::RefCell;
    let mut with_files = 0;
    for dir in sorted_entries(&root().join("rules").join("cases"))
        .into_iter()
        .filter(|p| p.is_dir())
    {
        let rule = dir.file_name().unwrap().to_string_lossy().to_string();
        let source = fs::read_to_string(root().join("rules").join(format!("{rule}.rhai"))).unwrap();
        for case in case_files(&dir) {
            let text = fs::read_to_string(&case).unwrap();
            let asked = RefCell::new(Vec::new());
            let read = stockroute::cases::file_reader(&case);
            let files = |p: &str| {
                asked.borrow_mut().push(p.to_string());
                read(p)
            };
            let outcome = stockroute::cases::run_case(&text, &source, None, &files);
            let shown = case.strip_prefix(root()).unwrap().display().to_string();
            assert_eq!(*asked.borrow(), outcome.files, "{shown}");
            for reference in &outcome.files {
                let target = stockroute::cases::resolve_reference(&case, reference);
                assert!(
                    target.is_file(),
                    "{shown}: `{reference}` resolves to {}",
                    target.display()
                );
            }
            // Without the files nothing runs, and every missing one is named.
            let bare = stockroute::cases::run_case(&text, &source, None, &|_| None);
            assert_eq!(bare.files, outcome.files, "{shown}");
            if !bare.files.is_empty() {
                with_files += 1;
                assert!(!bare.passed && bare.actual.is_null(), "{shown}");
                assert_eq!(
                    bare.failures.len(),
                    bare.files.len(),
                    "{shown}: {:?}",
                    bare.failures
                );
            }
        }
    }
    assert!(with_files > 0, "no case references a file");
}

/// The complete example in `docs/test-cases.md` must stay a passing case.
#[test]
fn the_documented_example_case_passes() {
    let doc = fs::read_to_string(root().join("docs/test-cases.md")).unwrap();
    let after = doc.split("## A complete example").nth(1).unwrap();
    // The block after the ```json info line.
    let json = after
        .split("```json")
        .nth(1)
        .and_then(|b| b.split_once('\n'))
        .unwrap()
        .1
        .split("```")
        .next()
        .unwrap();
    let source = fs::read_to_string(root().join("rules/own-first-then-consignment.rhai")).unwrap();
    let outcome = stockroute::cases::run_case(json, &source, None, &|_| None);
    assert!(outcome.passed, "{:?}", outcome.failures);
}

/// Snippets in the cookbook must compile: merchants copy them.
#[test]
fn cookbook_snippets_check_clean() {
    let doc = fs::read_to_string(root().join("docs/rules-cookbook.md")).unwrap();
    let snippets: Vec<&str> = doc
        .split("```rhai")
        .skip(1)
        .map(|s| s.split("```").next().unwrap())
        .collect();
    assert!(snippets.len() >= 4, "expected a snippet per platform");
    for s in snippets {
        let report = stockroute::check(s, Some("cookbook"));
        assert!(
            report.ok && report.diagnostics.is_empty(),
            "snippet does not check clean:\n{s}\n{:?}",
            report.diagnostics
        );
    }
}
