//! WebAssembly bindings (wasm32 only): a thin layer over [`crate::Router`].
