pub fn parse(url: &str) -> Option<&str> { url.split("://").nth(1) }
