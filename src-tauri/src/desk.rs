//! The app's state: the unlocked store for quick operations, and what long work needs to
//! open its own connection (path and the key derived at unlock) plus the cancel flag of each running pull.
//!
//! The mutex around the store is held only for quick reads and single transactions; pulls,
//! exports and connection tests open a second connection on a worker thread, so the UI is
//! never waiting on a lock held around a connector.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use chrono::{NaiveDate, Utc};
use dsar::cases::Context;
use dsar::connectors::Cancel;
use dsar::store::{RawKey, Store};

use crate::error::ApiError;

/// The demo database's passphrase (SPEC: the demo is for trying the app, not for real data).
pub const DEMO_PASSPHRASE: &str = "dsar-demo-passphrase";

/// Where the desk's files are and which day it is.
#[derive(Debug, Clone)]
pub struct DeskConfig {
    /// The user's database.
    pub db_path: PathBuf,
    /// The demo database (in the app's data folder).
    pub demo_path: PathBuf,
    /// Where stored documents are written for the system's viewer (`documents` in the app's
    /// data folder): emptied when the desk locks.
    pub documents_dir: PathBuf,
    /// A fixed "today" (scripts and tests, from `DSAR_TODAY`); the local day when none.
    pub today: Option<NaiveDate>,
    /// Who acts, e.g. `app:anna`.
    pub actor: String,
    /// Open the demo desk straight away (`dsar-desk --demo`, the README's run command)
    /// instead of asking for a passphrase.
    pub demo_at_start: bool,
}

struct Unlocked {
    store: Store,
    path: PathBuf,
    /// Derived once at unlock; second connections open with it without a key derivation. Wiped
    /// from memory when the desk is locked (dropped) or the passphrase changes.
    key: RawKey,
}

/// Shared by every command.
pub struct Desk {
    config: DeskConfig,
    current: Mutex<PathBuf>,
    open: Mutex<Option<Unlocked>>,
    /// Pulls and exports on second connections, with their cancel flags.
    running: Mutex<HashMap<String, Cancel>>,
    demo_started: AtomicBool,
    /// Proposed cases from request e-mails, until accepted or dismissed.
    pub(crate) inbox: crate::inbox::Inbox,
}

fn lock<T>(m: &Mutex<T>) -> Result<MutexGuard<'_, T>, ApiError> {
    m.lock().map_err(|_| ApiError::internal("an earlier operation failed midway: restart DSAR desk"))
}

/// Exports are kept beside pulls under their own key (references never contain a NUL).
fn export_key(reference: &str) -> String {
    format!("export\0{reference}")
}

/// Planning, carrying out and verifying a case search or change the firm's systems: one at a
/// time per case, under a key of their own.
fn acting_key(reference: &str) -> String {
    format!("act\0{reference}")
}

/// Removes a pull's or an export's cancel flag however it ends.
pub struct WorkGuard<'a> {
    desk: &'a Desk,
    key: String,
    /// The flag the work watches.
    pub cancel: Cancel,
}

impl Drop for WorkGuard<'_> {
    fn drop(&mut self) {
        if let Ok(mut running) = self.desk.running.lock() {
            running.remove(&self.key);
        }
    }
}

impl Desk {
    /// A locked desk.
    pub fn new(config: DeskConfig) -> Desk {
        let current = Mutex::new(config.db_path.clone());
        Desk { config, current, open: Mutex::new(None), running: Mutex::new(HashMap::new()), demo_started: AtomicBool::new(false), inbox: Default::default() }
    }

    /// Who and when, for one user action.
    pub fn context(&self) -> Context {
        let mut c = Context::now(self.config.actor.clone());
        if let Some(t) = self.config.today {
            c.today = t;
        }
        c.now = Utc::now();
        c
    }

    /// True once, on the first call, when the desk was started with `--demo`: the first
    /// status request then opens the demo. Later calls (after a lock or an error) ask again.
    pub fn take_demo_at_start(&self) -> bool {
        self.config.demo_at_start && !self.demo_started.swap(true, Ordering::SeqCst)
    }

    /// Where the demo database lives.
    pub fn demo_path(&self) -> &Path {
        &self.config.demo_path
    }

    /// The desk's document folder: copies of stored documents opened in the system's viewer.
    pub fn documents_dir(&self) -> &Path {
        &self.config.documents_dir
    }

    /// The database the desk uses now.
    pub fn db_path(&self) -> Result<PathBuf, ApiError> {
        Ok(lock(&self.current)?.clone())
    }

    /// Whether a store is unlocked.
    pub fn is_unlocked(&self) -> Result<bool, ApiError> {
        Ok(lock(&self.open)?.is_some())
    }

    /// Makes `store` (opened from `path`, whose key is `key`) the desk's store.
    pub fn set_open(&self, store: Store, path: PathBuf, key: RawKey) -> Result<(), ApiError> {
        *lock(&self.current)? = path.clone();
        *lock(&self.open)? = Some(Unlocked { store, path, key });
        Ok(())
    }

    /// Closes the store and forgets the passphrase; the next unlock is of the user's own
    /// database again (not the demo). Refused while a pull or an export runs, so no worker
    /// is left holding a connection to a desk the user believes locked.
    pub fn lock(&self) -> Result<(), ApiError> {
        self.ensure_idle("lock")?;
        *lock(&self.open)? = None;
        *lock(&self.current)? = self.config.db_path.clone();
        // The copies opened in the viewer are plain files: they go with the passphrase.
        crate::documents_api::wipe(&self.config.documents_dir);
        Ok(())
    }

    /// Runs a quick operation on the unlocked store.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> Result<T, ApiError>) -> Result<T, ApiError> {
        let mut open = lock(&self.open)?;
        let u = open.as_mut().ok_or_else(ApiError::locked)?;
        f(&mut u.store)
    }

    /// A second connection to the unlocked database, for long work off the shared store,
    /// opened with the key derived at unlock (no key derivation on the way to a pull).
    pub fn second_connection(&self) -> Result<Store, ApiError> {
        let (path, key) = {
            let open = lock(&self.open)?;
            let u = open.as_ref().ok_or_else(ApiError::locked)?;
            (u.path.clone(), u.key.clone())
        };
        Ok(Store::open_with_key(&path, &key)?)
    }

    /// Registers a running pull of `reference`; refused while one runs for the same case.
    pub fn start_pull(&self, reference: &str) -> Result<WorkGuard<'_>, ApiError> {
        self.start(reference.to_string(), "a pull of this case is already running: wait for it or cancel it")
    }

    /// Registers the export of `reference` (one at a time per case) with its cancel flag.
    pub fn start_export(&self, reference: &str) -> Result<WorkGuard<'_>, ApiError> {
        self.start(export_key(reference), "an export of this case is already running: wait for it or cancel it")
    }

    /// Registers planning, carrying out or verifying `reference` (one at a time per case).
    pub fn start_acting(&self, reference: &str) -> Result<WorkGuard<'_>, ApiError> {
        self.start(acting_key(reference), "the case is being planned, carried out or verified already: wait for it or cancel it")
    }

    /// Asks the running plan or execution of `reference` to stop before its next system.
    pub fn cancel_acting(&self, reference: &str) -> Result<(), ApiError> {
        self.cancel(&acting_key(reference))
    }

    /// Registers a read of the intake mailbox (one at a time) with its cancel flag.
    pub fn start_mailbox(&self) -> Result<WorkGuard<'_>, ApiError> {
        self.start("mailbox\0read".into(), "the mailbox is being read already: wait for it or cancel it")
    }

    /// Asks a running mailbox read to stop before its next message.
    pub fn cancel_mailbox(&self) -> Result<(), ApiError> {
        self.cancel("mailbox\0read")
    }

    /// Registers a short check on a second connection (a connection test, the SMTP test), so
    /// lock, restore and a passphrase change wait for it like for a pull.
    pub fn start_check(&self) -> Result<WorkGuard<'_>, ApiError> {
        self.start(format!("check\0{}", uuid::Uuid::now_v7()), "")
    }

    /// Asks the running export of `reference` to stop; nothing happens when none runs.
    pub fn cancel_export(&self, reference: &str) -> Result<(), ApiError> {
        self.cancel(&export_key(reference))
    }

    /// Asks the running pull of `reference` to stop; nothing happens when none runs (it may
    /// just have finished).
    pub fn cancel_pull(&self, reference: &str) -> Result<(), ApiError> {
        self.cancel(reference)
    }

    fn start(&self, key: String, busy: &str) -> Result<WorkGuard<'_>, ApiError> {
        let mut running = lock(&self.running)?;
        if running.contains_key(&key) {
            return Err(ApiError::new(crate::error::ErrorCode::Conflict, busy).because(crate::reason::Reason::DeskWorkRunning));
        }
        let cancel = Cancel::new();
        running.insert(key.clone(), cancel.clone());
        Ok(WorkGuard { desk: self, key, cancel })
    }

    fn cancel(&self, key: &str) -> Result<(), ApiError> {
        if let Some(c) = lock(&self.running)?.get(key) {
            c.cancel();
        }
        Ok(())
    }

    /// Refuses `what` (lock, restore) while a pull or an export holds a second connection.
    fn ensure_idle(&self, what: &str) -> Result<(), ApiError> {
        if lock(&self.running)?.is_empty() {
            return Ok(());
        }
        Err(ApiError::new(crate::error::ErrorCode::Conflict, format!("a pull, an export or an action on a case is still running: wait for it or cancel it, then {what}")).because(crate::reason::Reason::DeskWorkRunning))
    }

    /// Re-encrypts the unlocked database under `new` once `current` is shown to be the
    /// passphrase it was unlocked with, and keeps `new` for second connections.
    pub fn change_passphrase(&self, current: &str, new: &str) -> Result<(), ApiError> {
        let ctx = self.context();
        self.ensure_idle("change the passphrase")?;
        let mut open = lock(&self.open)?;
        // Checked again under the store's lock: work registered meanwhile would open a second
        // connection with the old passphrase.
        self.ensure_idle("change the passphrase")?;
        let u = open.as_mut().ok_or_else(ApiError::locked)?;
        // The current passphrase is checked by deriving its key (one derivation, as at unlock).
        let typed = RawKey::derive(&u.path, current)?;
        if !typed.same_as(&u.key) {
            return Err(ApiError::input("current", "this is not the current passphrase: type the one you unlock the desk with").because(crate::reason::Reason::PassphraseCurrentWrong)
                .with_code(crate::error::ErrorCode::WrongPassphrase));
        }
        dsar::backup::change_passphrase(&mut u.store, &ctx, new)?;
        u.key = u.store.key(new)?;
        Ok(())
    }

    /// Replaces the unlocked database with the backup at `file` once it is verified (opens with
    /// `passphrase`, integrity check, audit chain); refused while a pull runs on a second
    /// connection. On a failed swap the previous database is reopened.
    pub fn restore(&self, file: &Path, passphrase: String) -> Result<crate::settings_dto::RestoreDto, ApiError> {
        self.ensure_idle("restore")?;
        let db = {
            let open = lock(&self.open)?;
            open.as_ref().ok_or_else(ApiError::locked)?.path.clone()
        };
        // The slow part (copy, key derivation, integrity check) runs without holding the store.
        let verified = dsar::backup::verify(&db, file, &passphrase)?;
        let cases = verified.cases;
        let ctx = self.context();
        let mut open = lock(&self.open)?;
        // Again under the store's lock: a pull or a check that registered during the slow
        // verification must not hold the file while it is renamed.
        self.ensure_idle("restore")?;
        let u = open.take().ok_or_else(ApiError::locked)?;
        let (old_path, old_key) = (u.path.clone(), u.key.clone());
        match verified.replace(u.store, &ctx) {
            Ok(r) => {
                let key = r.store.key(&passphrase)?;
                *open = Some(Unlocked { store: r.store, path: old_path, key });
                Ok(crate::settings_dto::RestoreDto { kept_path: r.kept.display().to_string(), cases })
            }
            Err(e) => {
                // The swap puts the old file back when it can; reopen it so the desk stays usable.
                if let Ok(store) = Store::open_with_key(&old_path, &old_key) {
                    *open = Some(Unlocked { store, path: old_path, key: old_key });
                }
                Err(e.into())
            }
        }
    }
}
