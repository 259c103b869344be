//! Build script: Tauri's code generation (config, capabilities, icons).

fn main() {
    // The binary embeds the built UI (`ui/dist`); a new UI build must rebuild it, and cargo
    // cannot see files that only the context macro reads.
    println!("cargo:rerun-if-changed=../ui/dist");
    tauri_build::build()
}
