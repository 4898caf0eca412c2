pub fn parse(u: &str) -> Option<&str> { u.split("://").nth(1) }
