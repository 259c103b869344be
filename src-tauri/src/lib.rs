//! DSAR desk's desktop shell: Tauri commands over the `dsar` core. The core knows nothing of
//! Tauri; this crate holds only the state (`desk`), thin adapters (`api`, `commands`), the
//! wire types (`dto`, TypeScript in `ui/src/bindings/`) and the `{code, message}` error.
#![warn(missing_docs)]

pub mod acting_api;
pub mod api;
pub mod case_intake;
pub mod casework;
pub mod commands;
pub mod desk;
pub mod documents_api;
pub mod dto;
pub mod dto_acting;
pub mod dto_casework;
pub mod dto_inbox;
pub mod dto_intake;
pub mod error;
pub mod inbox;
pub mod reason;
pub mod reason_text;
pub mod rendering;
pub mod settings_api;
pub mod settings_commands;
pub mod settings_dto;

use std::path::PathBuf;
use std::sync::Arc;

use tauri::Manager;

pub use desk::{Desk, DeskConfig};
pub use error::{ApiError, ErrorCode};
pub use reason::Reason;

/// The desk's configuration from the environment: `DSAR_DB` (else the CLI's default path),
/// `DSAR_TODAY` (a fixed day for scripts and end-to-end tests), the demo in `data_dir`, and
/// `--demo` on the command line (open the demo desk at start).
pub fn config_from_env(data_dir: PathBuf) -> DeskConfig {
    let db_path = std::env::var_os("DSAR_DB").map(PathBuf::from).unwrap_or_else(dsar::store::default_db_path);
    let today = std::env::var("DSAR_TODAY").ok().and_then(|t| chrono::NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok());
    DeskConfig {
        db_path,
        demo_path: data_dir.join("demo").join("dsar-demo.db"),
        documents_dir: data_dir.join("documents"),
        today,
        actor: actor(),
        demo_at_start: std::env::args().skip(1).any(|a| a == "--demo"),
    }
}

/// Who acts, for the audit trail: `app:<OS account>`. The account comes from the system, not
/// `USER`, which a desktop launcher or a service may leave unset ("app:unknown" said nothing);
/// the environment is asked only when the system cannot say.
pub fn actor() -> String {
    let from_env = || ["USER", "LOGNAME", "USERNAME"].iter().filter_map(|v| std::env::var(v).ok()).find(|u| !u.trim().is_empty());
    let user = whoami::username().ok().filter(|u| !u.trim().is_empty()).or_else(from_env).unwrap_or_else(|| "unknown".into());
    format!("app:{}", user.trim())
}

/// Starts the app.
pub fn run() {
    let app = tauri::Builder::default()
        // First: a second start brings the running window forward instead of opening the
        // encrypted file twice.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let data_dir = app.path().app_data_dir()?;
            let config = config_from_env(data_dir);
            // Copies a crash left behind are not kept past the session they were opened in.
            documents_api::wipe(&config.documents_dir);
            app.manage(Arc::new(Desk::new(config)));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::desk_status,
            commands::unlock,
            commands::create_desk,
            commands::lock_desk,
            commands::open_demo,
            commands::dashboard,
            commands::list_cases,
            commands::export_cases_csv,
            commands::get_case,
            commands::create_case,
            commands::pause_case,
            commands::resume_case,
            commands::extend_case,
            commands::close_case,
            commands::set_case_status,
            commands::pull_case,
            commands::cancel_pull,
            commands::save_letter,
            commands::save_letter_draft,
            commands::export_bundle,
            commands::open_document,
            commands::cancel_export,
            commands::register_systems,
            commands::import_register,
            commands::preview_register_import,
            commands::import_register_previewed,
            commands::test_systems,
            commands::ui_ready,
            commands::case_evidence,
            commands::complete_task,
            commands::preview_letter,
            commands::send_letter,
            commands::export_register,
            commands::register_system,
            commands::save_system,
            commands::add_manual_system,
            commands::case_actions,
            commands::plan_case,
            commands::act_case,
            commands::cancel_acting,
            commands::verify_case,
            commands::update_notice,
            commands::needs_you,
            commands::work_queue,
            commands::record_answer,
            commands::case_corrections,
            commands::add_correction,
            commands::inbox_list,
            commands::inbox_add_bytes,
            commands::inbox_add_files,
            commands::inbox_accept,
            commands::inbox_dismiss,
            commands::find_duplicate,
            commands::inbox_read_mailbox,
            commands::cancel_mailbox_read,
            commands::get_imap,
            commands::save_imap,
            commands::case_intake,
            commands::record_identity,
            commands::set_requester,
            commands::clear_requester,
            commands::set_salutation,
            commands::link_case,
            commands::unlink_case,
            commands::drop_yielded,
            settings_commands::get_settings,
            settings_commands::save_controller,
            settings_commands::save_case_defaults,
            settings_commands::save_smtp,
            settings_commands::send_test_email,
            settings_commands::save_reminders,
            settings_commands::due_reminders,
            settings_commands::reminders_shown,
            settings_commands::change_passphrase,
            settings_commands::backup_database,
            settings_commands::restore_database,
            settings_commands::list_secrets,
            settings_commands::set_secret,
            settings_commands::allow_secret,
            settings_commands::safety_status,
            settings_commands::save_idle_lock,
        ])
        .build(tauri::generate_context!());
    match app {
        // Closing the app empties the document folder as locking does.
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                if let Some(desk) = handle.try_state::<Arc<Desk>>() {
                    documents_api::wipe(desk.documents_dir());
                }
            }
        }),
        Err(e) => {
            eprintln!("dsar-desk: cannot start the window: {e}");
            std::process::exit(2);
        }
    }
}
