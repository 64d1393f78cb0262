//! JSON input with errors that name the field and the position.

use crate::error::{code, Diagnostic, Result};
use serde::de::DeserializeOwned;

/// Parses JSON text into `T`. On failure the diagnostic's `path` names the field
/// (`lines[2].qty`) and its message gives line and column in the JSON text.
pub fn from_str<T: DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        json_error(what, &path, &inner)
    })?;
    de.end().map_err(|e| json_error(what, "", &e))?;
    Ok(value)
}

/// Deserializes `T` from an already-parsed JSON value, naming the failing field.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value, what: &str) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        json_error(what, &path, &inner).into()
    })
}

fn json_error(what: &str, path: &str, e: &serde_json::Error) -> Diagnostic {
    // serde_json appends " at line L column C" itself; keep its wording for the position.
    let message = e.to_string();
    let mut d = Diagnostic::new(code::DATA_INVALID, format!("invalid {what}: {message}"));
    if !path.is_empty() && path != "." && path != "?" {
        d.path = Some(path.to_string());
    }
    d
}
