fn main() { println!("cargo:rustc-cfg=libc_priv_mod_use"); }
