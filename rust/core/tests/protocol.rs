//! The golden test of the JNI protocol (v2): every document of `tests/protocol/` goes through the
//! typed request and response classes of `zkarrow_core::protocol` and back, and must come out the
//! same (a null member counts as absent). The Java side runs the same documents through its
//! Jackson records (`TestProtocolDocuments`).

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use zkarrow_core::config::CatalogOpen;
use zkarrow_core::error::ERROR_CODE_OFFSET;
use zkarrow_core::protocol::responses::OPS;
use zkarrow_core::protocol::scan::ScanRequest;
use zkarrow_core::protocol::sink::SinkRequest;
use zkarrow_core::protocol::{Request, Response};
use zkarrow_core::storage::records::DataFile;
use zkarrow_core::ErrorCode;

fn documents_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/protocol")
}

/// `(file name, document)` of every golden document.
fn documents() -> Vec<(String, Value)> {
    let mut docs: Vec<(String, Value)> = std::fs::read_dir(documents_dir())
        .expect("tests/protocol")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&p).unwrap();
            let doc = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, doc)
        })
        .collect();
    docs.sort_by(|a, b| a.0.cmp(&b.0));
    docs
}

/// The tree without its null object members (a null counts as absent).
fn normalize(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), normalize(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalize).collect()),
        other => other.clone(),
    }
}

fn assert_same(name: &str, part: &str, original: &Value, back: &Value) {
    assert_eq!(
        normalize(back),
        normalize(original),
        "{name}: the {part} changed on its way through the typed classes"
    );
}

/// Reads `value` as `T` and writes it back.
fn through<T: DeserializeOwned + Serialize>(name: &str, part: &str, value: &Value) -> Value {
    let typed: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{name}: the {part} does not read as its type: {e}"));
    serde_json::to_value(&typed).unwrap()
}

fn member<'d>(name: &str, doc: &'d Value, key: &str) -> &'d Value {
    doc.get(key)
        .unwrap_or_else(|| panic!("{name} has no \"{key}\""))
}

#[test]
fn every_golden_document_survives_the_typed_classes() {
    let mut ops_seen = BTreeSet::new();
    let docs = documents();
    assert!(docs.len() > OPS.len(), "{} documents", docs.len());
    for (name, doc) in &docs {
        if name == "error_codes.json" {
            continue;
        }
        let request = member(name, doc, "request");
        if let Some(native) = name.strip_prefix("native.") {
            match native {
                "catalog_open.json" => {
                    let back = through::<CatalogOpen>(name, "request", request);
                    assert_same(name, "request", request, &back);
                    // the example is a valid catalog file
                    let open: CatalogOpen = serde_json::from_value(request.clone()).unwrap();
                    open.into_config()
                        .unwrap_or_else(|e| panic!("{name}: the properties do not parse: {e}"));
                }
                "reader_open.json" => {
                    let back = through::<ScanRequest>(name, "request", request);
                    assert_same(name, "request", request, &back);
                }
                "writer_open.json" => {
                    let back = through::<SinkRequest>(name, "request", request);
                    assert_same(name, "request", request, &back);
                    let response = member(name, doc, "response");
                    let back = through::<Vec<DataFile>>(name, "response", response);
                    assert_same(name, "response", response, &back);
                }
                _ => panic!("{name}: no typed class reads this native document"),
            }
            continue;
        }
        let op = request["op"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: the request has no op"));
        let stem = name.trim_end_matches(".json");
        assert_eq!(
            stem.split('.').next(),
            Some(op),
            "{name} holds a request of op {op}"
        );
        let back = through::<Request>(name, "request", request);
        assert_same(name, "request", request, &back);
        let response = member(name, doc, "response");
        let typed =
            Response::from_value(op, response.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_same(
            name,
            "response",
            response,
            &serde_json::to_value(&typed).unwrap(),
        );
        ops_seen.insert(op.to_string());
    }
    let missing: Vec<&str> = OPS
        .iter()
        .copied()
        .filter(|op| !ops_seen.contains(*op))
        .collect();
    assert!(
        missing.is_empty(),
        "ops without a golden document: {missing:?}"
    );
    assert_eq!(
        ops_seen.len(),
        OPS.len(),
        "documents of unknown ops: {ops_seen:?}"
    );
}

#[test]
fn a_document_of_an_unknown_op_has_no_typed_class() {
    let unknown = serde_json::json!({"op": "vacuum", "schema": "s"});
    assert!(serde_json::from_value::<Request>(unknown).is_err());
    assert!(Response::from_value("vacuum", serde_json::json!({})).is_err());
    // a v1 member is refused, not ignored
    let v1 = serde_json::json!({"op": "drop_table", "schema": "s", "table": "t", "holder": {"node": "n"}});
    assert!(serde_json::from_value::<Request>(v1).is_err());
}

#[test]
fn error_codes_match_the_document() {
    let text = std::fs::read_to_string(documents_dir().join("error_codes.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["offset"], Value::from(ERROR_CODE_OFFSET));
    let ours: Vec<Value> = ErrorCode::ALL
        .iter()
        .map(|c| {
            serde_json::json!({
                "name": c.name(),
                "code": c.number(),
                "type": c.presto_type().name(),
            })
        })
        .collect();
    assert_eq!(Value::Array(ours), doc["codes"]);
    for code in ErrorCode::ALL {
        assert_eq!(ErrorCode::from_name(code.name()), Some(code));
    }
}
