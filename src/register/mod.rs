//! The register (record of processing): controller and systems, imported from and exported to
//! the `dsar-register` v1 JSON format.
