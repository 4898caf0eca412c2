pub fn array_ref(b: &[u8]) -> &[u8] { b }
