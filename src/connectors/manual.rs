//! The `manual` connector: a system nobody can search from here (a mailbox, a processor's
//! platform). It finds nothing by itself; the pull turns it into a task with a ready e-mail.

use super::{Cancel, ConnectorError, Found, OpenContext, SearchKeys, Source};
use crate::register::Settings;

/// Opens a `manual` system (or a system without a connector).
pub(crate) fn open(cx: &OpenContext<'_>) -> Result<Box<dyn Source>, ConnectorError> {
    let contact = match &cx.connector.settings {
        Settings::Manual(m) => m.contact.as_ref().and_then(|c| c.name.clone().or_else(|| c.email.clone())),
        _ => return Err(ConnectorError::Unsupported { kind: cx.connector.kind().code().into() }),
    };
    Ok(Box::new(ManualSource { contact }))
}

struct ManualSource {
    contact: Option<String>,
}

impl Source for ManualSource {
    fn search(&self, _keys: &SearchKeys, cancel: &Cancel) -> Result<Vec<Found>, ConnectorError> {
        if cancel.is_cancelled() {
            return Err(ConnectorError::Cancelled);
        }
        Ok(Vec::new())
    }

    fn test(&self) -> Result<String, ConnectorError> {
        Ok(match &self.contact {
            Some(c) => format!("searched by hand: a pull creates a task with a ready e-mail to {c}"),
            None => "searched by hand: a pull creates a task with the instructions".to_string(),
        })
    }
}
