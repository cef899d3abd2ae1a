use std::io;
// ANCHOR: greet
fn greet() {
    println!("Hello, book!");
}
// ANCHOR_END: greet
fn main() { greet(); }
