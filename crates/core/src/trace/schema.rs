//! Checks a call's arguments against the tool's declared JSON schema, shallowly: required
//! properties present, and each given property of the declared primitive type.

use serde_json::Value;

use super::walk::Kind;

/// Returns the first problem found, or `None` when the arguments fit the schema.
pub fn check_arguments(schema: &Value, args: &Value) -> Option<String> {
    let Value::Object(args) = args else {
        return Some("arguments are not an object".into());
    };
    if let Some(Value::Array(required)) = schema.get("required") {
        for r in required.iter().filter_map(Value::as_str) {
            if !args.contains_key(r) {
                return Some(format!("required property \"{r}\" is missing"));
            }
        }
    }
    let Some(Value::Object(props)) = schema.get("properties") else {
        return None;
    };
    for (key, value) in args {
        let Some(prop) = props.get(key) else { continue };
        let allowed: Vec<&str> = match prop.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => continue,
        };
        if !allowed.iter().any(|t| type_matches(t, value)) {
            return Some(format!(
                "property \"{key}\" should be {}",
                allowed.join(" or ")
            ));
        }
    }
    None
}

/// `check_arguments(schema, args).is_some()` for arguments that are an object with these keys
/// and kinds of values (each key once: the last value's kind).
pub fn breaks(schema: &Value, keys: &[(String, Kind)]) -> bool {
    if let Some(Value::Array(required)) = schema.get("required") {
        let missing = required
            .iter()
            .filter_map(Value::as_str)
            .any(|r| !keys.iter().any(|(k, _)| k == r));
        if missing {
            return true;
        }
    }
    let Some(Value::Object(props)) = schema.get("properties") else {
        return false;
    };
    keys.iter().any(|(key, kind)| {
        let Some(prop) = props.get(key) else {
            return false;
        };
        match prop.get("type") {
            Some(Value::String(t)) => !kind_matches(t, *kind),
            Some(Value::Array(ts)) => !ts
                .iter()
                .filter_map(Value::as_str)
                .any(|t| kind_matches(t, *kind)),
            _ => false,
        }
    })
}

fn kind_matches(t: &str, kind: Kind) -> bool {
    match t {
        "string" => kind == Kind::String,
        "number" => matches!(kind, Kind::Number { .. }),
        "integer" => kind == Kind::Number { integer: true },
        "boolean" => kind == Kind::Bool,
        "array" => kind == Kind::Array,
        "object" => kind == Kind::Object,
        "null" => kind == Kind::Null,
        _ => true,
    }
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        "null" => v.is_null(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn required_and_types() {
        let schema = json!({"type": "object", "properties": {"command": {"type": "string"}, "timeout": {"type": "integer"}}, "required": ["command"]});
        assert_eq!(check_arguments(&schema, &json!({"command": "ls"})), None);
        assert_eq!(
            check_arguments(&schema, &json!({"command": "ls", "timeout": 5})),
            None
        );
        assert!(check_arguments(&schema, &json!({}))
            .unwrap()
            .contains("command"));
        assert!(check_arguments(&schema, &json!({"command": 1}))
            .unwrap()
            .contains("string"));
        assert!(check_arguments(&schema, &json!({"command": "ls", "timeout": "5"})).is_some());
        assert_eq!(check_arguments(&json!({}), &json!({"x": 1})), None);
    }
}
