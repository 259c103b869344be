//! The CLI contract of SPEC §8: names, flags and JSON keys scripts rely on.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

/// DSAR desk: data subject requests with correct deadlines, in one encrypted file.
#[derive(Debug, Parser)]
#[command(name = "dsar", version, about, max_term_width = 100)]
pub struct Cli {
    /// Database file (default: the per-user data directory).
    #[arg(long, global = true, env = "DSAR_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Read the passphrase from this file instead of DSAR_PASSPHRASE or the terminal.
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// Treat this day as today (for scripts and tests).
    #[arg(long, global = true, env = "DSAR_TODAY", value_name = "DATE", value_parser = parse_date, hide = true)]
    pub today: Option<NaiveDate>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new encrypted database.
    Init,
    /// Create a database filled with a demo firm and ~30 cases in every state.
    Demo {
        /// Replace an existing file at the path.
        #[arg(long)]
        force: bool,
        /// Also add N generated cases (for trying and benchmarking the desk at scale).
        #[arg(long, value_name = "N", default_value_t = 0, hide = true)]
        extra_cases: usize,
    },
    /// Compute a deadline without a database.
    Deadline(DeadlineArgs),
    /// The register of processing: import, export, list.
    #[command(subcommand)]
    Register(RegisterCmd),
    /// Secrets referenced from the register as {secret:NAME}.
    #[command(subcommand)]
    Secret(SecretCmd),
    /// Cases: create, list, show, pause, resume, extend, close.
    #[command(subcommand)]
    Case(CaseCmd),
    /// The audit trail.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// The firm's holiday changes: days added or removed per region.
    #[command(subcommand)]
    Calendar(CalendarCmd),
    /// Tasks of cases (manual searches and other to-dos).
    #[command(subcommand)]
    Task(TaskCmd),
    /// Write a letter to the subject as PDF (and, later, e-mail).
    Letter(LetterArgs),
    /// Export a case's data as a .zip bundle (JSON + CSV per dataset, letter, index.html, manifest).
    Export(ExportArgs),
    /// What acting left to do across all cases: retained data due for erasure, answers
    /// overdue, notices not yet sent.
    NeedsYou {
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// The suppression list (objections to direct marketing, withdrawn consent): keyed
    /// hashes only.
    #[command(subcommand)]
    Suppression(SuppressionCmd),
    /// Desk settings: the mail server letters are sent through.
    #[command(subcommand)]
    Settings(SettingsCmd),
    /// Request e-mails (.eml) as proposed cases; --accept creates them with the message stored.
    Intake(IntakeArgs),
    /// Write an encrypted copy of the database (same passphrase) while it stays in use.
    Backup {
        /// The backup file to write (replaced once the new copy is complete).
        #[arg(long)]
        out: PathBuf,
    },
    /// Replace the database with a backup made under the same passphrase, after checking it
    /// (integrity, audit trail); the current file is kept as <name>.before-restore-<time>.
    Restore {
        /// The backup file.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum SuppressionCmd {
    /// Whether a person is on the list: prints "suppressed" or "not suppressed".
    Check {
        /// E-mail address.
        #[arg(long)]
        email: Option<String>,
        /// Telephone number.
        #[arg(long)]
        phone: Option<String>,
        /// Any other identifier KEY=VALUE, repeatable.
        #[arg(long = "id", value_name = "KEY=VALUE")]
        ids: Vec<String>,
    },
    /// The list as CSV (hash,kind,reason,added_on) for marketing tools.
    Export {
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TaskCmd {
    /// Mark a task done.
    Done {
        /// The task's id (see dsar case tasks REF).
        task_id: String,
    },
    /// Record the answer of whoever runs a system to an act-by-hand or manual-search task.
    Answer {
        /// The task's id (see dsar case tasks REF).
        task_id: String,
        /// The day the answer arrived.
        #[arg(long, value_parser = parse_date)]
        on: NaiveDate,
        /// erased, restricted, rectified, nothing-held or refused.
        #[arg(long)]
        confirmed: String,
        /// A note (kept on the case, not in the audit trail).
        #[arg(long)]
        note: Option<String>,
        /// Their reply (.eml, .pdf, .txt), kept on the case as a document.
        #[arg(long)]
        reply: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct LetterArgs {
    /// Reference, e.g. DSAR-2026-0042.
    pub reference: String,
    /// acknowledgement, identity-request, clarification-request, extension-notice, access-response,
    /// portability-response, erasure-confirmation, erasure-partial, restriction-confirmation,
    /// restriction-lift-notice, objection-accepted, objection-rejected, rectification-confirmation,
    /// refusal, no-data.
    #[arg(long)]
    pub kind: String,
    /// de, en, nl (default: the case's language).
    #[arg(long)]
    pub lang: Option<String>,
    /// Where to write the PDF.
    #[arg(long, value_name = "FILE.pdf")]
    pub out: PathBuf,
    /// Also save the e-mail (plain text + PDF) as an .eml file.
    #[arg(long, value_name = "FILE.eml")]
    pub eml: Option<PathBuf>,
    /// Also send the e-mail over the SMTP server in the settings.
    #[arg(long)]
    pub send: bool,
    /// The reasons (refusal, extension notice, rejected objection; blank lines separate paragraphs).
    #[arg(long)]
    pub reasons: Option<String>,
    /// Notes for the letter (what was corrected, which details are needed, …).
    #[arg(long)]
    pub notes: Option<String>,
    /// The legal ground of a refusal (required with --kind refusal): art12-5-unfounded,
    /// art12-5-excessive, art15-4, art17-3-a … art17-3-e, art11-2, bdsg-29, bdsg-34,
    /// uavg-41, dpa2018-sch2 … dpa2018-sch4.
    #[arg(long)]
    pub ground: Option<String>,
    /// A preview marked as draft on every page: register gaps and missing records allowed,
    /// nothing recorded or sent.
    #[arg(long, conflicts_with_all = ["send", "eml", "accept_gaps"])]
    pub draft: bool,
    /// Make the final letter although the register has gaps for it (needs --reason, audited).
    #[arg(long, requires = "reason")]
    pub accept_gaps: bool,
    /// Why the gaps are accepted (with --accept-gaps); goes into the audit trail.
    #[arg(long)]
    pub reason: Option<String>,
    /// The fee of a fee notice (Art. 12(5)(a)), as it should read, e.g. "25,00 EUR".
    #[arg(long)]
    pub fee: Option<String>,
    /// The copy goes out as an encrypted bundle (export --password-file): the letter says how
    /// it is delivered and opened.
    #[arg(long = "encrypted-bundle")]
    pub encrypted_bundle: bool,
    /// Folder of the firm's letter templates (<dir>/<lang>/<kind>.j2); default: templates/ beside the database.
    #[arg(long, env = "DSAR_TEMPLATES", value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Reference, e.g. DSAR-2026-0042.
    pub reference: String,
    /// The .zip file to write.
    #[arg(long, value_name = "FILE.zip")]
    pub out: PathBuf,
    /// Encrypt with AES-256 using the password on the first line of this file.
    #[arg(long, value_name = "F")]
    pub password_file: Option<PathBuf>,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum SettingsCmd {
    /// Set the SMTP server (the password is a secret: dsar secret set NAME).
    Smtp(SmtpArgs),
    /// Set the intake mailbox read by `dsar intake --imap` (TLS only); the password is read
    /// from standard input and stored as a secret for this server.
    Imap(ImapArgs),
    /// Show the settings (never a password).
    Show {
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ImapArgs {
    /// IMAP server host name or IP address.
    #[arg(long)]
    pub host: String,
    /// The server's TLS port (IMAPS).
    #[arg(long, default_value_t = 993)]
    pub port: u16,
    /// Login name.
    #[arg(long)]
    pub user: String,
    /// The folder requests arrive in.
    #[arg(long, default_value = "INBOX", value_name = "NAME")]
    pub folder: String,
    /// A PEM CA certificate to trust besides the system's (a firm's own mail server).
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SmtpArgs {
    /// Mail server host name or IP address.
    #[arg(long)]
    pub host: String,
    /// Port: 587 for starttls, 465 for tls.
    #[arg(long)]
    pub port: u16,
    /// starttls, tls, or none (only for a relay on this machine).
    #[arg(long)]
    pub security: String,
    /// Login name.
    #[arg(long)]
    pub user: Option<String>,
    /// Name of the secret holding the password.
    #[arg(long, value_name = "NAME")]
    pub password_secret: Option<String>,
    /// Sender address.
    #[arg(long, value_name = "ADDR")]
    pub from: String,
    /// Sender display name.
    #[arg(long, value_name = "NAME")]
    pub from_name: Option<String>,
    /// A PEM CA certificate to trust besides the system's (a firm's own mail server).
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum CalendarCmd {
    /// Add a holiday (company day, municipal day, Royal Decree day) for a region.
    Add {
        #[arg(value_parser = parse_date)]
        date: NaiveDate,
        /// Region, e.g. DE-BY (default: the register's controller).
        #[arg(long)]
        region: Option<String>,
        /// Name shown in deadline explanations.
        #[arg(long)]
        name: String,
    },
    /// Treat a statutory holiday as a working day for a region.
    Remove {
        #[arg(value_parser = parse_date)]
        date: NaiveDate,
        #[arg(long)]
        region: Option<String>,
    },
    /// Undo an earlier add or remove.
    Reset {
        #[arg(value_parser = parse_date)]
        date: NaiveDate,
        #[arg(long)]
        region: Option<String>,
    },
    /// Switch Assumption Day (15 Aug) in Bavaria on or off.
    BavariaAssumption {
        /// on or off.
        state: String,
    },
    /// List a region's holidays for a year as deadlines see them.
    List {
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        year: Option<i32>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct DeadlineArgs {
    /// Day the request arrived (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub received: NaiveDate,
    /// gdpr, uk-gdpr, ccpa, lgpd.
    #[arg(long, default_value = "gdpr")]
    pub jurisdiction: String,
    /// Holiday calendar, e.g. DE-NW, NL, GB-ENG, US-CA, BR (default: the jurisdiction's).
    #[arg(long)]
    pub region: Option<String>,
    /// Rights (matter only under ccpa: opt-out and limit have 15 business days).
    #[arg(long = "right")]
    pub rights: Vec<String>,
    /// Day the identity information was asked for (alone: still waiting, the clock is stopped).
    #[arg(long, value_parser = parse_date)]
    pub identity_requested: Option<NaiveDate>,
    /// Day it arrived.
    #[arg(long, value_parser = parse_date, requires = "identity_requested")]
    pub identity_received: Option<NaiveDate>,
    /// A clarification pause FROM..TO (both days included; FROM.. while still waiting), repeatable.
    #[arg(long = "pause", value_name = "FROM..TO")]
    pub pauses: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum RegisterCmd {
    /// Import a dsar-register JSON file (validated completely before anything changes).
    Import {
        /// The register file.
        file: PathBuf,
        /// Only show what the import would change (systems added, removed, changed; the
        /// controller), and change nothing.
        #[arg(long = "dry-run")]
        dry_run: bool,
    },
    /// Print the current register as JSON, or write it to FILE.
    Export {
        /// Output file.
        file: Option<PathBuf>,
    },
    /// List the systems of the current register.
    List {
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Test the connection of systems (all when no ID is given); exit 1 if any fails.
    Test {
        /// System ids.
        ids: Vec<String>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SecretCmd {
    /// Store a secret; the value is read from standard input and never echoed.
    Set {
        /// Name, as referenced by {secret:NAME}.
        name: String,
    },
    /// List the names of stored secrets.
    List,
    /// Let a system use a stored secret where the register now sends it (after an import
    /// moved the system to another address, or for a system added later). Audited.
    Allow {
        /// Name, as referenced by {secret:NAME}.
        name: String,
        /// The register system that may use it.
        #[arg(long)]
        system: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum CaseCmd {
    /// Record a new request.
    New(NewCaseArgs),
    /// List cases.
    List {
        /// JSON output.
        #[arg(long)]
        json: bool,
        /// Only this status.
        #[arg(long)]
        status: Option<String>,
        /// Only open cases past their due date.
        #[arg(long)]
        overdue: bool,
        /// Only open cases.
        #[arg(long)]
        open: bool,
        /// Only cases invoking this right.
        #[arg(long)]
        right: Option<String>,
        /// Text in the name or reference.
        #[arg(long)]
        search: Option<String>,
        /// Order: due, received, reference.
        #[arg(long, default_value = "due")]
        sort: String,
        /// Reverse the order (due: latest first; received: oldest first; reference: newest first).
        #[arg(long)]
        reverse: bool,
        /// Write every matching case (not one page) to FILE as CSV for the yearly report:
        /// reference, received, rights, status, due, closed, outcome — no names or identifiers.
        #[arg(long, value_name = "FILE")]
        csv: Option<std::path::PathBuf>,
        /// Rows per page.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Rows to skip.
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
    /// Show one case with its deadline.
    Show {
        /// Reference, e.g. DSAR-2026-0042.
        reference: String,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Stop the clock while waiting for identity or clarification.
    Pause {
        reference: String,
        /// identity or clarification.
        #[arg(long)]
        reason: String,
        /// Day the subject was asked.
        #[arg(long, value_parser = parse_date)]
        from: NaiveDate,
    },
    /// Restart the clock: the answer arrived.
    Resume {
        reference: String,
        /// Day it arrived.
        #[arg(long, value_parser = parse_date)]
        on: NaiveDate,
    },
    /// Extend the period (the notice must go out within the first period).
    Extend {
        reference: String,
        /// Why (told to the subject).
        #[arg(long)]
        reason: String,
        /// Day the notice was sent (default today).
        #[arg(long, value_parser = parse_date)]
        on: Option<NaiveDate>,
    },
    /// Move a case to in-progress or ready-to-send.
    Status {
        reference: String,
        /// in-progress or ready-to-send.
        #[arg(long)]
        to: String,
    },
    /// Close a case with its outcome.
    Close {
        reference: String,
        /// fulfilled, partially-fulfilled, refused, withdrawn, no-data.
        #[arg(long)]
        outcome: String,
        /// Day closed (default today).
        #[arg(long, value_parser = parse_date)]
        on: Option<NaiveDate>,
    },
    /// The case's audit trail.
    Timeline {
        reference: String,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Search the register's systems for the subject and store what is found.
    Pull {
        reference: String,
        /// Only this system (repeatable); re-pulling a system replaces only its records.
        #[arg(long = "system", value_name = "ID")]
        systems: Vec<String>,
        /// Systems searched at once.
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Dry run of everything the case's rights would change, per system, with the rows each
    /// statement changes (run in a transaction that is rolled back); prints the plan id.
    Plan {
        reference: String,
        /// Plan lifting the restrictions this case made (after the restriction-lift-notice).
        #[arg(long)]
        lift: bool,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Carry out the case's latest plan; --plan is its id, which approves it.
    Act {
        reference: String,
        /// The id `dsar case plan` printed.
        #[arg(long = "plan", value_name = "SHA256", default_value = "")]
        plan: String,
        /// Only this system (repeatable).
        #[arg(long = "system", value_name = "ID")]
        systems: Vec<String>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Note a correction the subject asks for (Art. 16): kept in the encrypted case only.
    Rectify {
        reference: String,
        /// What is corrected, e.g. "Anschrift".
        #[arg(long)]
        field: String,
        /// The value held now.
        #[arg(long)]
        old: String,
        /// The correct value.
        #[arg(long)]
        new: String,
        /// Only in this system (default: wherever the data is held).
        #[arg(long = "system", value_name = "ID")]
        system: Option<String>,
    },
    /// Search the acted systems again: erased data gone, restricted data flagged.
    Verify {
        reference: String,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// The Art. 19 notices to the recipients of acted systems, with their ready letters.
    Notices {
        reference: String,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Record a notice as sent (--sent DATE --channel C) or closed (--impossible or
    /// --disproportionate with --reason).
    Notice {
        /// The notice id (from `dsar case notices`).
        id: String,
        /// The day it was sent.
        #[arg(long, value_parser = parse_date)]
        sent: Option<NaiveDate>,
        /// How: e-mail, letter, portal…
        #[arg(long)]
        channel: Option<String>,
        /// Informing the recipient proved impossible.
        #[arg(long)]
        impossible: bool,
        /// Informing the recipient would take a disproportionate effort.
        #[arg(long)]
        disproportionate: bool,
        /// Why it is closed unsent.
        #[arg(long)]
        reason: Option<String>,
    },
    /// How the subject's identity was established: record a check (--method), or list them.
    Identity(IdentityArgs),
    /// Who made the request for the subject (a representative): letters go to them.
    Requester(RequesterArgs),
    /// The formal salutation letters use (ms, mr), or none for the neutral greeting.
    Salutation {
        reference: String,
        /// ms, mr or none.
        #[arg(long)]
        form: String,
        /// The family name as the salutation prints it (default: the last word of the name).
        #[arg(long = "family-name")]
        family_name: Option<String>,
    },
    /// Link two cases that belong together (a repeated request, two channels).
    Link {
        reference: String,
        /// The other case.
        #[arg(long = "to", value_name = "REF")]
        other: String,
    },
    /// Remove a link between two cases.
    Unlink {
        reference: String,
        /// The other case.
        #[arg(long = "to", value_name = "REF")]
        other: String,
    },
    /// The records found by the last pulls, with where each came from.
    Evidence {
        reference: String,
        /// Only this system.
        #[arg(long = "system", value_name = "ID")]
        system: Option<String>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// The case's tasks (manual searches with their ready e-mails).
    Tasks {
        reference: String,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Identifiers a pull found on the way (a customer number in the CRM).
    #[command(subcommand)]
    Identifier(IdentifierCmd),
}

#[derive(Debug, Subcommand)]
pub enum IdentifierCmd {
    /// Drop a wrong one: later pulls of the case do not search with it.
    Drop {
        reference: String,
        /// Its kind, e.g. customer_id.
        #[arg(long)]
        kind: String,
        /// Its value as `dsar case show` lists it.
        #[arg(long)]
        value: String,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct IdentityArgs {
    pub reference: String,
    /// held-data, email-round-trip, document-seen, representative-authority; without it the
    /// checks are listed.
    #[arg(long)]
    pub method: Option<String>,
    /// Day of the check (default today).
    #[arg(long, value_parser = parse_date)]
    pub on: Option<NaiveDate>,
    /// For held-data: SYSTEM:KIND[,KIND] — which identifiers matched where (repeatable).
    #[arg(long = "matched", value_name = "SYSTEM:KIND[,KIND]")]
    pub matched: Vec<String>,
    /// What was checked, in your words.
    #[arg(long)]
    pub note: Option<String>,
    /// For document-seen: the document checked (only its SHA-256 is kept without --keep-reason).
    #[arg(long)]
    pub document: Option<PathBuf>,
    /// Why the copy of the document is kept after the check (audited).
    #[arg(long = "keep-reason")]
    pub keep_reason: Option<String>,
    /// List which identifiers the last pull found in which system (a held-data proposal).
    #[arg(long)]
    pub suggest: bool,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RequesterArgs {
    pub reference: String,
    /// Their name (or their firm's).
    #[arg(long, required_unless_present = "clear")]
    pub name: Option<String>,
    /// Postal address line, repeatable.
    #[arg(long = "address")]
    pub address: Vec<String>,
    /// Their e-mail address.
    #[arg(long)]
    pub email: Option<String>,
    /// power-of-attorney, parent, guardian, lawyer, other.
    #[arg(long, required_unless_present = "clear")]
    pub authority: Option<String>,
    /// What the authority is (required for other).
    #[arg(long = "authority-note")]
    pub authority_note: Option<String>,
    /// The authority shown (stored with the case).
    #[arg(long = "authority-document")]
    pub authority_document: Option<PathBuf>,
    /// Remove the requester: the subject asked themself.
    #[arg(long, conflicts_with_all = ["name", "authority"])]
    pub clear: bool,
}

#[derive(Debug, Args)]
pub struct NewCaseArgs {
    /// Right invoked; repeat for several (access, erasure, …).
    #[arg(long = "right", required = true)]
    pub rights: Vec<String>,
    /// The subject's name.
    #[arg(long)]
    pub name: String,
    /// E-mail address.
    #[arg(long)]
    pub email: Option<String>,
    /// Telephone number.
    #[arg(long)]
    pub phone: Option<String>,
    /// Any other identifier KEY=VALUE (customer_id=…, ip=…, username=…), repeatable.
    #[arg(long = "id", value_name = "KEY=VALUE")]
    pub ids: Vec<String>,
    /// Postal address line, repeatable.
    #[arg(long = "address")]
    pub address: Vec<String>,
    /// Day the request arrived.
    #[arg(long, value_parser = parse_date)]
    pub received: NaiveDate,
    /// gdpr, uk-gdpr, ccpa, lgpd (default: the register's controller).
    #[arg(long)]
    pub jurisdiction: Option<String>,
    /// Holiday calendar (default: the register's controller).
    #[arg(long)]
    pub region: Option<String>,
    /// de, en, nl (default: the controller's).
    #[arg(long)]
    pub language: Option<String>,
    /// email, letter, web-form, phone, in-person, other.
    #[arg(long, default_value = "email")]
    pub channel: String,
    /// A formal salutation for letters: ms or mr (default: a neutral greeting by full name).
    #[arg(long)]
    pub salutation: Option<String>,
    /// The family name the salutation prints (default: the last word of --name).
    #[arg(long = "family-name", requires = "salutation")]
    pub family_name: Option<String>,
    /// The request was made by a representative: their name (letters go to them).
    #[arg(long = "requester-name", requires = "authority")]
    pub requester_name: Option<String>,
    /// The representative's postal address line, repeatable.
    #[arg(long = "requester-address", requires = "requester_name")]
    pub requester_address: Vec<String>,
    /// The representative's e-mail address.
    #[arg(long = "requester-email", requires = "requester_name")]
    pub requester_email: Option<String>,
    /// What entitles the representative: power-of-attorney, parent, guardian, lawyer, other.
    #[arg(long, requires = "requester_name")]
    pub authority: Option<String>,
    /// What the authority is (required for other).
    #[arg(long = "authority-note", requires = "requester_name")]
    pub authority_note: Option<String>,
    /// The authority shown (stored with the case).
    #[arg(long = "authority-document", requires = "requester_name")]
    pub authority_document: Option<PathBuf>,
    /// Print the case as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Check the hash chain; exit 1 and name every altered, removed or reordered event.
    Verify {
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

/// Strict YYYY-MM-DD: 2026-02-30 and 5.3.2026 are rejected with the expected form.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    let shaped = t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-';
    match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        Ok(d) if shaped => Ok(d),
        _ if shaped => Err(format!("'{t}' is not a day of the calendar: check day and month")),
        _ => Err(format!("'{}' is not a date: use YYYY-MM-DD, e.g. 2026-03-05", t.chars().take(20).collect::<String>())),
    }
}

#[derive(Debug, Args)]
pub struct IntakeArgs {
    /// The saved e-mails (.eml, at most 25 MB each).
    #[arg(required_unless_present = "imap", conflicts_with = "imap", value_name = "FILE.eml")]
    pub files: Vec<PathBuf>,
    /// Read the intake mailbox (dsar settings imap) instead of files: each message is
    /// proposed once; --accept takes in every message proposed and not yet decided.
    #[arg(long)]
    pub imap: bool,
    /// The mailbox folder (default: the one in the settings, usually INBOX).
    #[arg(long, requires = "imap", value_name = "NAME")]
    pub folder: Option<String>,
    /// Only messages that arrived on or after this day (YYYY-MM-DD), e.g. on a first read of
    /// a mailbox with years of mail.
    #[arg(long, requires = "imap", value_name = "DATE")]
    pub since: Option<String>,
    /// Mark a proposed message as not a request (imap:FOLDER/UID as printed), so it is not
    /// proposed again.
    #[arg(long, requires = "imap", conflicts_with = "accept", value_name = "LOCATOR")]
    pub dismiss: Option<String>,
    /// Create the cases (rights as guessed) and store each message on its case.
    #[arg(long)]
    pub accept: bool,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
}
