//! `dsar::register::parse`: any text is either a register or a `RegisterError` — never a
//! panic — and a register that parses survives its own export (`parse(to_json(r)) == r`, the
//! promise in `register::to_json`'s documentation).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = dsar_fuzz::MAX_ALLOCATION;
    let Ok(text) = std::str::from_utf8(data) else { return };
    let base = Path::new("/fuzz/registers");
    match dsar::register::parse(text, base) {
        Ok(register) => {
            let _ = register.secret_names();
            let json = dsar::register::to_json(&register);
            match dsar::register::parse(&json, base) {
                Ok(again) => assert_eq!(again, register, "parse(to_json(r)) differs from r"),
                Err(e) => panic!("to_json wrote a register that parse refuses: {e:?}\n{json}"),
            }
        }
        Err(e) => {
            // Every problem must render (the CLI and the app print them).
            let _ = e.to_string();
        }
    }
});
