//! Build script: Tauri's code generation (config, capabilities, icons).

fn main() {
    tauri_build::build()
}
