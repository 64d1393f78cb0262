//! Data-driven rule test cases (see `docs/test-cases.md`): one JSON file per case, run the
//! same way by `cargo test`, the `stockroute test` CLI and the browser editor.
