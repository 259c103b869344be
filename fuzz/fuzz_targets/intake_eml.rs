//! `dsar::intake::parse` on arbitrary bytes (a request e-mail as saved by any mail program,
//! or anything a user drops on the desk): every input is a `Message` or an `IntakeError`,
//! never a panic; the rights and language guesses run on whatever text came out, and the
//! received day is computed for every region.
#![no_main]

use dsar::deadline::Region;
use dsar::intake::{self, language, received, rights};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(msg) = intake::parse(data) else { return };
    let text = format!("{}\n{}", msg.subject, msg.text);
    let guessed = rights::guess(&text);
    for (i, r) in guessed.iter().enumerate() {
        assert!(!guessed[i + 1..].contains(r), "right {r} guessed twice");
    }
    let _ = language::guess(&text);
    if let Some(instant) = msg.date {
        for region in Region::ALL {
            let day = received::local_day(instant, *region);
            // No zone is more than a day away from UTC.
            assert!((day - instant.date_naive()).num_days().abs() <= 1);
        }
    }
});
