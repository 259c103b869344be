//! How the window draws on Linux. DSAR desk's screens are forms and tables, which WebKit paints
//! on the CPU as fast as a person can see; the GPU path instead maps the whole Mesa driver
//! (with its 44 MiB LLVM) into the window's process twice over — once for GTK's GLX probe and
//! once for WebKit's EGL device probe — and is the usual cause of blank WebKitGTK windows
//! (NVIDIA, some Wayland set-ups). So by default the desk asks GTK and WebKit for the CPU path;
//! `DSAR_DESK_GPU=1` keeps their defaults. Measured in `scripts/bench-desktop.sh`.

/// The variable that keeps GTK's and WebKit's own GPU defaults.
pub const GPU_OPT_IN: &str = "DSAR_DESK_GPU";

/// The environment that keeps GL out of the window's process:
/// - `GDK_GL=disable`: GTK does not open a GLX context to probe GL visuals;
/// - `WEBKIT_DISABLE_DMABUF_RENDERER=1`: the web process paints into shared memory that the
///   window draws with cairo, instead of handing over GPU buffers;
/// - `WEBKIT_WEB_RENDER_DEVICE_FILE`: naming the render device spares WebKit its EGL device
///   probe in the window's process; with no GPU buffers in use the web process never opens it,
///   and the name is one no DRM node can have (they are `cardN` and `renderDN`).
const CPU_RENDERING: [(&str, &str); 3] = [
    ("GDK_GL", "disable"),
    ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
    ("WEBKIT_WEB_RENDER_DEVICE_FILE", "/dev/dri/none-dsar-desk-draws-on-the-cpu"),
];

/// The variables to set, given a lookup of the current environment: none when the user opted
/// into the GPU path, and never one the user has set already (theirs wins).
pub fn cpu_rendering_env(current: impl Fn(&str) -> Option<String>) -> Vec<(&'static str, &'static str)> {
    let opted_in = current(GPU_OPT_IN).is_some_and(|v| !v.is_empty() && v != "0");
    if opted_in {
        return Vec::new();
    }
    CPU_RENDERING.iter().copied().filter(|(name, _)| current(name).is_none()).collect()
}

/// Applies [`cpu_rendering_env`] to this process. Called first thing in `main`, before GTK or
/// any thread starts, because GTK reads `GDK_GL` when it opens the display and WebKit passes
/// its environment on to the web process it spawns.
pub fn prefer_cpu_rendering() {
    if !cfg!(target_os = "linux") {
        return;
    }
    for (name, value) in cpu_rendering_env(|name| std::env::var(name).ok()) {
        std::env::set_var(name, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn a_plain_environment_gets_all_three_cpu_settings() {
        let set = cpu_rendering_env(env_of(&[]));
        let names: Vec<_> = set.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["GDK_GL", "WEBKIT_DISABLE_DMABUF_RENDERER", "WEBKIT_WEB_RENDER_DEVICE_FILE"]);
        assert!(set.contains(&("GDK_GL", "disable")));
    }

    #[test]
    fn opting_into_the_gpu_sets_nothing() {
        assert!(cpu_rendering_env(env_of(&[(GPU_OPT_IN, "1")])).is_empty());
        // "0" and empty mean "not opted in".
        assert_eq!(cpu_rendering_env(env_of(&[(GPU_OPT_IN, "0")])).len(), 3);
        assert_eq!(cpu_rendering_env(env_of(&[(GPU_OPT_IN, "")])).len(), 3);
    }

    #[test]
    fn a_variable_the_user_set_is_left_alone() {
        let set = cpu_rendering_env(env_of(&[("WEBKIT_WEB_RENDER_DEVICE_FILE", "/dev/dri/renderD129")]));
        assert!(set.iter().all(|(n, _)| *n != "WEBKIT_WEB_RENDER_DEVICE_FILE"));
        assert_eq!(set.len(), 2);
    }

    #[test]
    fn the_device_name_cannot_be_a_drm_node() {
        let (_, device) = CPU_RENDERING[2];
        let file = device.rsplit('/').next().unwrap_or_default();
        assert!(!file.starts_with("card") && !file.starts_with("renderD"), "{file}");
        assert!(!std::path::Path::new(device).exists());
    }
}
