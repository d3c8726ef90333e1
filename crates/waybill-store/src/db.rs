//! The SQL store: one implementation over sqlx's `Any` driver, with the few places where
//! SQLite and PostgreSQL differ kept behind `Backend`.

use crate::{Result, StoreError};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Page cache of the SQLite writer connection (128 MiB; readers get 16 MiB): a bulk load
/// touches index pages all over a table of millions of rows, and with the small cache every
/// insert re-read them from the OS.
const WRITER_CACHE: &str = "PRAGMA cache_size = -131072";

/// Settings of every SQLite connection.
const SQLITE_PRAGMAS: [&str; 10] = [
    // New databases get 16 KiB pages: a 3 to 4 KB order then shares its page instead of
    // spilling onto overflow pages, which makes bulk loads a third faster and files 15 %
    // smaller (BENCHMARKS.md). An existing database keeps its page size (a no-op there).
    "PRAGMA page_size = 16384",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA busy_timeout = 10000",
    "PRAGMA foreign_keys = ON",
    "PRAGMA case_sensitive_like = ON",
    "PRAGMA cache_size = -16384",
    // Checkpoint every 16,384 pages of WAL (256 MiB) instead of every 1,000: a bulk load's
    // transaction dirties more than the default allows, so it checkpointed (and fsynced the
    // database) after every one, and wrote hot index pages back again each time.
    "PRAGMA wal_autocheckpoint = 16384",
    "PRAGMA temp_store = MEMORY",
    // ANALYZE samples instead of reading every index.
    "PRAGMA analysis_limit = 1000",
];

/// Which database engine is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite in WAL mode.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// The store. Cheap to clone.
#[derive(Clone)]
pub struct SqlStore {
    pub(crate) pool: AnyPool,
    /// SQLite's one write connection (see `connect`); PostgreSQL writes through `pool`.
    writer: Option<AnyPool>,
    pub(crate) backend: Backend,
    /// SQLite allows one writer; serializing write transactions in-process avoids
    /// `SQLITE_BUSY` on lock upgrades. PostgreSQL needs no such lock.
    write_lock: Option<Arc<Mutex<()>>>,
    /// The PostgreSQL URL, kept for `LISTEN` connections (see `webhooks::spawn_event_listener`).
    pub(crate) listen_url: Option<Arc<str>>,
}

impl SqlStore {
    /// Connects to `url` (`sqlite://path` or `postgres://…`) without migrating.
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Config(
                "database URL must start with sqlite: or postgres:".into(),
            ));
        };
        let mut opts = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
        if backend == Backend::Sqlite {
            opts = opts
                .max_connections(8)
                .min_connections(1)
                .after_connect(|conn, _| Box::pin(sqlite_settings(conn, false)));
        } else {
            opts = opts.max_connections(16).after_connect(|conn, _| {
                Box::pin(async move {
                    // Plan every statement with current statistics: a generic plan cached while
                    // a table was empty (a bulk load's first pages) would otherwise stick.
                    conn.execute("SET plan_cache_mode = force_custom_plan")
                        .await?;
                    Ok(())
                })
            });
        }
        let url = if backend == Backend::Sqlite && !url.contains("mode=") {
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}mode=rwc")
        } else {
            url.to_string()
        };
        let pool = opts.connect(&url).await?;
        // SQLite has one writer at a time, so write transactions share one connection: its
        // large page cache stays warm from one transaction to the next, and the readers keep
        // small caches (a pool where any connection might write would let every one grow).
        let writer = match backend {
            Backend::Sqlite => Some(
                AnyPoolOptions::new()
                    .acquire_timeout(Duration::from_secs(30))
                    .max_connections(1)
                    .min_connections(1)
                    .after_connect(|conn, _| Box::pin(sqlite_settings(conn, true)))
                    .connect(&url)
                    .await?,
            ),
            Backend::Postgres => None,
        };
        Ok(Self {
            pool,
            writer,
            backend,
            write_lock: (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(()))),
            listen_url: (backend == Backend::Postgres).then(|| Arc::from(url.as_str())),
        })
    }

    /// Applies pending migrations of this backend.
    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// The engine in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Refreshes the planner's statistics so filtered lists use the right index. Cheap on
    /// SQLite (sampled); run after bulk loads and at start.
    pub async fn optimize(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => {
                let _w = self.write_guard().await;
                sqlx::query("ANALYZE").execute(&self.pool).await?;
            }
            Backend::Postgres => {
                sqlx::query("ANALYZE records").execute(&self.pool).await?;
            }
        }
        Ok(())
    }

    /// Checks that the database answers, for `/healthz`.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes the pools, waiting for connections to be returned.
    pub async fn close(&self) {
        if let Some(w) = &self.writer {
            w.close().await;
        }
        self.pool.close().await;
    }

    /// Begins a transaction that will write. On SQLite it takes the database's write lock
    /// at once, so a transaction that reads before it writes cannot fail on upgrade.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        let mut tx = self.writer.as_ref().unwrap_or(&self.pool).begin().await?;
        if self.backend == Backend::Sqlite {
            sqlx::query("UPDATE write_gate SET v = v + 1 WHERE k = 1")
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }

    /// Adapts `$N` placeholders to the backend (see [`positional`]).
    pub(crate) fn sql<'a>(&self, sql: &'a str) -> std::borrow::Cow<'a, str> {
        match self.backend {
            Backend::Sqlite => positional(sql),
            Backend::Postgres => sql.into(),
        }
    }

    /// Takes the SQLite writer lock (a no-op on PostgreSQL).
    pub(crate) async fn write_guard(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match &self.write_lock {
            Some(m) => Some(m.lock().await),
            None => None,
        }
    }
}

/// Applies `SQLITE_PRAGMAS` to a new connection, and the writer's larger cache to the writer.
async fn sqlite_settings(
    conn: &mut sqlx::AnyConnection,
    writer: bool,
) -> std::result::Result<(), sqlx::Error> {
    for pragma in SQLITE_PRAGMAS {
        conn.execute(pragma).await?;
    }
    if writer {
        conn.execute(WRITER_CACHE).await?;
    }
    Ok(())
}

/// SQLite resolves named parameters with a linear scan per parameter, which makes
/// statements with thousands of `$N` quadratic. When the placeholders appear exactly in order
/// 1, 2, 3… they become anonymous `?`; otherwise the text is left alone.
pub(crate) fn positional(sql: &str) -> std::borrow::Cow<'_, str> {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let (mut i, mut expected, mut last) = (0, 1usize, 0);
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let start = i + 1;
            let mut j = start;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            if j > start {
                if sql[start..j].parse::<usize>().ok() != Some(expected) {
                    return sql.into();
                }
                expected += 1;
                out.push_str(&sql[last..i]);
                out.push('?');
                last = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&sql[last..]);
    out.into()
}

/// Reads an optional text column.
pub(crate) fn opt_str(row: &AnyRow, col: &str) -> Result<Option<String>> {
    Ok(row.try_get::<Option<String>, _>(col)?)
}

/// Reads a text column.
pub(crate) fn str_col(row: &AnyRow, col: &str) -> Result<String> {
    Ok(row.try_get::<String, _>(col)?)
}

/// Reads an integer column.
pub(crate) fn int_col(row: &AnyRow, col: &str) -> Result<i64> {
    Ok(row.try_get::<i64, _>(col)?)
}

/// Reads a 0/1 integer column as a bool.
pub(crate) fn bool_col(row: &AnyRow, col: &str) -> Result<bool> {
    Ok(int_col(row, col)? != 0)
}

#[cfg(test)]
mod tests {
    use super::positional;

    #[test]
    fn in_order_placeholders_become_anonymous() {
        assert_eq!(
            positional("a = $1 AND b IN ($2, $3)"),
            "a = ? AND b IN (?, ?)"
        );
        assert_eq!(positional("a = $2 AND b = $1"), "a = $2 AND b = $1");
        assert_eq!(positional("a = $1 OR b = $1"), "a = $1 OR b = $1");
        assert_eq!(positional("x = '$'"), "x = '$'");
    }
}
