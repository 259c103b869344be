//! Getting the passphrase (file, DSAR_PASSPHRASE, or the terminal) and opening the store.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use dsar::store::{default_db_path, Store};

use super::{Cli, Failure};

pub fn db_path(cli: &Cli) -> PathBuf {
    cli.db.clone().unwrap_or_else(default_db_path)
}

/// The passphrase, from (in order) --passphrase-file, DSAR_PASSPHRASE, or a prompt.
/// The passphrase, wiped from memory when the command is done with it.
pub fn passphrase(cli: &Cli, confirm: bool) -> Result<zeroize::Zeroizing<String>, Failure> {
    passphrase_text(cli, confirm).map(zeroize::Zeroizing::new)
}

fn passphrase_text(cli: &Cli, confirm: bool) -> Result<String, Failure> {
    if let Some(f) = &cli.passphrase_file {
        let text = std::fs::read_to_string(f)
            .map_err(|e| Failure::user(format!("--passphrase-file: cannot read {}: {e}", f.display())))?;
        return Ok(text.trim_end_matches(['\n', '\r']).to_string());
    }
    if let Ok(p) = std::env::var("DSAR_PASSPHRASE") {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() && !Path::new("/dev/tty").exists() {
        return Err(Failure::user("no passphrase: set DSAR_PASSPHRASE or use --passphrase-file FILE"));
    }
    let p = rpassword::prompt_password("Passphrase: ")
        .map_err(|_| Failure::user("no passphrase: set DSAR_PASSPHRASE or use --passphrase-file FILE"))?;
    if confirm {
        let again = rpassword::prompt_password("Repeat passphrase: ")
            .map_err(|_| Failure::user("no passphrase confirmation"))?;
        if again != p {
            return Err(Failure::user("the two passphrases differ: nothing was created, try again"));
        }
    }
    Ok(p)
}

pub fn open(cli: &Cli) -> Result<Store, Failure> {
    let path = db_path(cli);
    if !path.is_file() {
        // Say so before asking for a passphrase that cannot help.
        return Err(dsar::store::StoreError::Missing { path }.into());
    }
    let pass = passphrase(cli, false)?;
    Ok(Store::open(&path, &pass)?)
}
