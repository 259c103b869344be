//! Letters (stub).
