//! The Settings screen's Tauri commands: each moves one `settings_api` function onto the
//! blocking pool, as `commands` does for the other screens.

use crate::commands::{blocking, Shared};
use crate::error::ApiError;
use crate::settings_api;
use crate::settings_dto::*;

/// See [`settings_api::get_settings`].
#[tauri::command(rename_all = "snake_case")]
pub async fn get_settings(desk: Shared<'_>) -> Result<SettingsDto, ApiError> {
    blocking(&desk, settings_api::get_settings).await
}

/// See [`settings_api::save_controller`].
#[tauri::command(rename_all = "snake_case")]
pub async fn save_controller(desk: Shared<'_>, controller: ControllerDto) -> Result<ControllerDto, ApiError> {
    blocking(&desk, move |d| settings_api::save_controller(d, controller)).await
}

/// See [`settings_api::save_case_defaults`].
#[tauri::command(rename_all = "snake_case")]
pub async fn save_case_defaults(desk: Shared<'_>, defaults: CaseDefaultsDto) -> Result<CaseDefaultsDto, ApiError> {
    blocking(&desk, move |d| settings_api::save_case_defaults(d, defaults)).await
}

/// See [`settings_api::save_smtp`].
#[tauri::command(rename_all = "snake_case")]
pub async fn save_smtp(desk: Shared<'_>, input: SmtpInput) -> Result<SmtpDto, ApiError> {
    blocking(&desk, move |d| settings_api::save_smtp(d, input)).await
}

/// See [`settings_api::send_test_email`].
#[tauri::command(rename_all = "snake_case")]
pub async fn send_test_email(desk: Shared<'_>) -> Result<String, ApiError> {
    blocking(&desk, settings_api::send_test_email).await
}

/// See [`settings_api::save_reminders`].
#[tauri::command(rename_all = "snake_case")]
pub async fn save_reminders(desk: Shared<'_>, reminders: RemindersDto) -> Result<RemindersDto, ApiError> {
    blocking(&desk, move |d| settings_api::save_reminders(d, reminders)).await
}

/// See [`settings_api::due_reminders`].
#[tauri::command(rename_all = "snake_case")]
pub async fn due_reminders(desk: Shared<'_>) -> Result<DueSoonDto, ApiError> {
    blocking(&desk, settings_api::due_reminders).await
}

/// See [`settings_api::reminders_shown`].
#[tauri::command(rename_all = "snake_case")]
pub async fn reminders_shown(desk: Shared<'_>) -> Result<DueSoonDto, ApiError> {
    blocking(&desk, settings_api::reminders_shown).await
}

/// See [`settings_api::change_passphrase`].
#[tauri::command(rename_all = "snake_case")]
pub async fn change_passphrase(desk: Shared<'_>, current: String, new: String, repeat: String) -> Result<(), ApiError> {
    blocking(&desk, move |d| settings_api::change_passphrase(d, current, new, repeat)).await
}

/// See [`settings_api::backup_database`].
#[tauri::command(rename_all = "snake_case")]
pub async fn backup_database(desk: Shared<'_>, path: String) -> Result<BackupDto, ApiError> {
    blocking(&desk, move |d| settings_api::backup_database(d, path)).await
}

/// See [`settings_api::restore_database`].
#[tauri::command(rename_all = "snake_case")]
pub async fn restore_database(desk: Shared<'_>, path: String, passphrase: String) -> Result<RestoreDto, ApiError> {
    blocking(&desk, move |d| settings_api::restore_database(d, path, passphrase)).await
}

/// See [`settings_api::list_secrets`].
#[tauri::command(rename_all = "snake_case")]
pub async fn list_secrets(desk: Shared<'_>) -> Result<Vec<SecretDto>, ApiError> {
    blocking(&desk, settings_api::list_secrets).await
}

/// See [`settings_api::allow_secret`].
#[tauri::command(rename_all = "snake_case")]
pub async fn allow_secret(desk: Shared<'_>, name: String, system: String) -> Result<Vec<SecretDto>, ApiError> {
    blocking(&desk, move |d| settings_api::allow_secret(d, name, system)).await
}

/// See [`settings_api::set_secret`].
#[tauri::command(rename_all = "snake_case")]
pub async fn set_secret(desk: Shared<'_>, name: String, value: String) -> Result<Vec<SecretDto>, ApiError> {
    blocking(&desk, move |d| settings_api::set_secret(d, name, value)).await
}

/// See [`settings_api::safety_status`].
#[tauri::command(rename_all = "snake_case")]
pub async fn safety_status(desk: Shared<'_>) -> Result<SafetyDto, ApiError> {
    blocking(&desk, settings_api::safety_status).await
}

/// See [`settings_api::save_idle_lock`].
#[tauri::command(rename_all = "snake_case")]
pub async fn save_idle_lock(desk: Shared<'_>, minutes: u32) -> Result<SafetyDto, ApiError> {
    blocking(&desk, move |d| settings_api::save_idle_lock(d, minutes)).await
}
