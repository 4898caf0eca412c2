pub fn checksum() {}
