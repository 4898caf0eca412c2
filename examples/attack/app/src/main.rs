fn main() {
    println!("{}", rust_utilities_v2::normalize(" Hi "));
}
