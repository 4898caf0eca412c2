pub fn normalize(t: &str) -> String { t.trim().to_lowercase() }
