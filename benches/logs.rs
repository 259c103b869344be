//! Benchmark: the logs connector against ripgrep (placeholder until written).
fn main() {}
