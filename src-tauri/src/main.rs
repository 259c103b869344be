//! The desktop app's entry: everything lives in the library so tests can reach it.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Before GTK and any thread start: see `rendering`.
    dsar_desk::rendering::prefer_cpu_rendering();
    dsar_desk::run();
}
