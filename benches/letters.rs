//! Benchmark: 1 000 access letters to PDF.
fn main() {}
