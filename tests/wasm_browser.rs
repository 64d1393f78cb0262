//! The WebAssembly suite of `tests/wasm_node.rs`, run in headless Chromium (through
//! chromedriver) instead of Node, plus a check that it really is the browser.
//!
//! Run: `cargo test --target wasm32-unknown-unknown --test wasm_browser` (needs `chromium`
//! and `chromedriver` on PATH; `scripts/setup.sh` installs them).
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "wasm_node.rs"]
mod suite;

#[wasm_bindgen_test]
fn runs_in_chromium() {
    let navigator = js_sys::Reflect::get(&js_sys::global(), &"navigator".into()).unwrap();
    let agent = js_sys::Reflect::get(&navigator, &"userAgent".into())
        .unwrap()
        .as_string()
        .unwrap();
    console_log!("browser: {agent}");
    assert!(agent.contains("Chrome"), "{agent}");
}
