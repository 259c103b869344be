//! Opening a stored document (`open_document`): the file the desk hands to the system's viewer
//! — a copy of a letter's stored bytes in the desk's document folder (0700, one file per
//! document id, wiped at lock), or an export bundle where it was saved while it is unchanged.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::*;
use dsar_desk::documents_api::document_file;
use dsar_desk::{api, Reason};

fn mode(p: &std::path::Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_letter_opens_from_a_private_copy_in_the_document_folder_and_the_copy_goes_at_lock() {
    let (dir, desk) = with_register();
    let reference = api::create_case(&desk, new_case("Erika Muster", "erika@example.org", "2026-11-02")).unwrap();
    let pdf = dir.path().join("saved").join("ack.pdf");
    std::fs::create_dir_all(pdf.parent().unwrap()).unwrap();
    api::save_letter(&desk, reference.clone(), "acknowledgement".into(), Some("de".into()), Default::default(), pdf.display().to_string(), None).unwrap();
    let docs = api::get_case(&desk, reference.clone()).unwrap().documents;
    let letter = docs.iter().find(|d| d.kind == "acknowledgement").expect("the saved letter is a document of the case");

    let folder = desk.documents_dir().to_path_buf();
    assert!(!folder.exists(), "nothing is written before a document is opened");
    let file = document_file(&desk, reference.clone(), letter.id.clone()).unwrap();
    assert!(file.starts_with(&folder), "{} is inside {}", file.display(), folder.display());
    assert_eq!(file.parent().unwrap().file_name().unwrap().to_string_lossy(), letter.id, "one folder per document id");
    assert_eq!(file.file_name().unwrap().to_string_lossy(), letter.file_name, "the viewer shows the letter's own name");
    assert_eq!(std::fs::read(&file).unwrap(), std::fs::read(&pdf).unwrap(), "exactly the bytes that were saved");
    assert!(std::fs::read(&file).unwrap().starts_with(b"%PDF"));
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(file.parent().unwrap()), 0o700);
    assert_eq!(mode(&file), 0o600);

    // Opened again: the same file, rewritten from the database (a change made in the viewer is
    // not what was sent), and nothing else in the folder.
    std::fs::write(&file, b"edited in the viewer").unwrap();
    assert_eq!(document_file(&desk, reference.clone(), letter.id.clone()).unwrap(), file);
    assert!(std::fs::read(&file).unwrap().starts_with(b"%PDF"));
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1);
    assert_eq!(std::fs::read_dir(file.parent().unwrap()).unwrap().count(), 1, "no temporary file left beside it");

    // Only documents of that case: an unknown id, or one of another case, is not found.
    let e = document_file(&desk, reference.clone(), "0190e000-0000-7000-8000-000000000000".into()).unwrap_err();
    assert_eq!(e.reason, Some(Reason::DocumentNotFound), "{e:?}");
    let other = api::create_case(&desk, new_case("Max Muster", "max@example.org", "2026-11-03")).unwrap();
    let e = document_file(&desk, other, letter.id.clone()).unwrap_err();
    assert_eq!(e.reason, Some(Reason::DocumentNotFound), "{e:?}");

    desk.lock().unwrap();
    assert!(!folder.exists(), "locking the desk removes every copy");
    assert!(pdf.exists(), "the letter the DPO saved stays where it was saved");
}

#[test]
fn a_bundle_opens_where_it_was_saved_only_while_it_is_unchanged() {
    let (dir, desk) = with_register();
    let reference = api::create_case(&desk, new_case("Erika Muster", "erika@example.org", "2026-11-02")).unwrap();
    let zip = dir.path().join("bundle.zip");
    api::export_bundle(&desk, reference.clone(), zip.display().to_string(), None, |_| {}).unwrap();
    let docs = api::get_case(&desk, reference.clone()).unwrap().documents;
    let bundle = docs.iter().find(|d| d.kind == "bundle").expect("the bundle is a document of the case");

    assert_eq!(document_file(&desk, reference.clone(), bundle.id.clone()).unwrap(), zip, "the bundle itself, not a copy");
    assert!(!desk.documents_dir().exists(), "a bundle is not copied into the document folder");

    let saved = std::fs::read(&zip).unwrap();
    let mut changed = saved.clone();
    changed.push(0);
    std::fs::write(&zip, &changed).unwrap();
    let e = document_file(&desk, reference.clone(), bundle.id.clone()).unwrap_err();
    assert_eq!(e.reason, Some(Reason::DocumentChanged), "{e:?}");

    std::fs::remove_file(&zip).unwrap();
    let e = document_file(&desk, reference.clone(), bundle.id.clone()).unwrap_err();
    assert_eq!(e.reason, Some(Reason::DocumentMissing), "{e:?}");
    assert!(e.message.contains("export the bundle again"), "{}", e.message);

    std::fs::write(&zip, &saved).unwrap();
    assert_eq!(document_file(&desk, reference, bundle.id.clone()).unwrap(), zip, "put back unchanged, it opens again");
}
