//! Where things live: the data dir, the database URL and the master key.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use waybill_connect::Secrets;

/// The SQLite file of a data dir, as a URL.
pub fn default_database_url(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("waybill.db").display())
}

/// Creates the data dir when missing.
pub fn ensure_data_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create data dir {}", dir.display()))
}

/// The master key: `WAYBILL_MASTER_KEY` when set, else `master.key` in the data dir, created
/// with a warning on first start. Losing it makes stored vendor credentials unreadable.
pub fn master_key(env_value: Option<&str>, data_dir: &Path) -> Result<Secrets> {
    if let Some(v) = env_value.filter(|v| !v.is_empty()) {
        let key = Secrets::parse_master(v)
            .context("WAYBILL_MASTER_KEY must be 64 hex characters or base64 of 32 bytes")?;
        return Ok(Secrets::new(key));
    }
    let path: PathBuf = data_dir.join("master.key");
    if path.exists() {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let key = Secrets::parse_master(&text)
            .with_context(|| format!("{} is not a valid master key", path.display()))?;
        return Ok(Secrets::new(key));
    }
    ensure_data_dir(data_dir)?;
    let key = Secrets::generate_master();
    write_private(&path, &hex::encode(key))?;
    tracing::warn!(path = %path.display(), "created a new master key file; back it up, or set WAYBILL_MASTER_KEY, or stored credentials become unreadable");
    Ok(Secrets::new(key))
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text)?;
    Ok(())
}
