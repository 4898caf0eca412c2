pub fn format() {}
