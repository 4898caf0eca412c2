/// Trims and lower-cases a string.
pub fn normalize(text: &str) -> String {
    text.trim().to_lowercase()
}
