//! Records a write produced, and Trackstar tags (SPEC §12.1, §13). A write stores the
//! vendor's resulting record with its tags, and the events announcing it, in one transaction,
//! so an immediate read sees it and no accepted change goes unannounced.

use crate::db::{int_col, str_col, SqlStore};
use crate::records::{columns, hash_of, id_of, Change, ChangeKind, EventsOf, INDEXED};
use crate::{NewEvent, Result, WrittenStore};
use async_trait::async_trait;
use serde_json::Value;
use sqlx::Any;
use waybill_model::Resource;

/// Builds the events of a tag change from the change and the previous tags (JSON text).
pub type TagEventsOf<'a> = &'a (dyn Fn(&Change, &str) -> Vec<NewEvent> + Send + Sync);

/// The key a tag is filtered by: a string as it is, a pair as `key:value`.
fn tag_key(t: &Value) -> Option<String> {
    match t {
        Value::String(s) => Some(s.clone()),
        Value::Object(m) => m
            .iter()
            .next()
            .map(|(k, v)| format!("{k}:{}", v.as_str().unwrap_or_default())),
        _ => None,
    }
}

/// Replaces a record's rows in `record_tags`.
async fn index_tags(
    tx: &mut sqlx::Transaction<'static, Any>,
    store: &SqlStore,
    seq: i64,
    tags: &str,
) -> Result<()> {
    sqlx::query(&store.sql("DELETE FROM record_tags WHERE record_seq = $1"))
        .bind(seq)
        .execute(&mut **tx)
        .await?;
    let list: Vec<Value> = serde_json::from_str(tags).unwrap_or_default();
    let mut keys: Vec<String> = list.iter().filter_map(tag_key).collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        sqlx::query(&store.sql("INSERT INTO record_tags (record_seq, tag) VALUES ($1, $2)"))
            .bind(seq)
            .bind(k)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

#[async_trait]
impl WrittenStore for SqlStore {
    async fn store_written(
        &self,
        connection_id: &str,
        resource: &Resource,
        docs: Vec<Value>,
        first_tags: Option<String>,
        now: &str,
        events_of: EventsOf<'_>,
    ) -> Result<Vec<Change>> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let mut changes = Vec::new();
        let mut events = Vec::new();
        for (i, doc) in docs.into_iter().enumerate() {
            let Some(id) = id_of(&doc) else {
                tracing::warn!(
                    resource = resource.key,
                    "a write returned a record without an id; not stored"
                );
                continue;
            };
            let text = serde_json::to_string(&doc)?;
            let hash = hash_of(&text);
            let index_cols = columns(resource, &doc);
            let tags = if i == 0 { first_tags.clone() } else { None };
            let existing = sqlx::query(&self.sql("SELECT seq, hash, doc, tags, trackstar_created_date FROM records WHERE connection_id = $1 AND resource = $2 AND id = $3"))
                .bind(connection_id)
                .bind(resource.key)
                .bind(&id)
                .fetch_optional(&mut *tx)
                .await?;
            let (kind, previous, created, old_tags) = match &existing {
                Some(r) => (
                    ChangeKind::Updated,
                    Some(str_col(r, "doc")?),
                    str_col(r, "trackstar_created_date")?,
                    str_col(r, "tags")?,
                ),
                None => (ChangeKind::Created, None, now.to_string(), "[]".to_string()),
            };
            let new_tags = tags.unwrap_or_else(|| old_tags.clone());
            let unchanged = existing
                .as_ref()
                .map(|r| str_col(r, "hash"))
                .transpose()?
                .is_some_and(|h| h == hash)
                && new_tags == old_tags;
            if unchanged {
                continue;
            }
            let cols = "connection_id, resource, id, doc, hash, tags, trackstar_created_date, trackstar_updated_date, created_date, updated_date, warehouse_customer_id, status, t0, t1, t2, t3, t4, d0, d1";
            let values = (1..=19)
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let updates = ["doc", "hash", "tags", "trackstar_updated_date"]
                .iter()
                .chain(INDEXED.iter())
                .map(|c| format!("{c} = excluded.{c}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("INSERT INTO records ({cols}) VALUES ({values}) ON CONFLICT (connection_id, resource, id) DO UPDATE SET {updates}");
            let mut q = sqlx::query(&sql)
                .bind(connection_id)
                .bind(resource.key)
                .bind(&id)
                .bind(&text)
                .bind(&hash)
                .bind(&new_tags)
                .bind(&created)
                .bind(now);
            for c in &index_cols {
                q = q.bind(c.as_deref());
            }
            q.execute(&mut *tx).await?;
            if new_tags != old_tags {
                let seq = int_col(
                    &sqlx::query(&self.sql("SELECT seq FROM records WHERE connection_id = $1 AND resource = $2 AND id = $3"))
                        .bind(connection_id)
                        .bind(resource.key)
                        .bind(&id)
                        .fetch_one(&mut *tx)
                        .await?,
                    "seq",
                )?;
                index_tags(&mut tx, self, seq, &new_tags).await?;
            }
            let change = Change {
                kind,
                id,
                doc: text,
                previous,
                trackstar_created_date: created,
                trackstar_updated_date: now.to_string(),
                tags: new_tags,
            };
            events.extend(events_of(&change));
            changes.push(change);
        }
        crate::events::insert_in(&mut tx, self, &events).await?;
        tx.commit().await?;
        if !events.is_empty() {
            self.notify_events().await;
        }
        Ok(changes)
    }

    async fn set_tags(
        &self,
        connection_id: &str,
        resource: &Resource,
        id: &str,
        tags: &str,
        now: &str,
        events_of: TagEventsOf<'_>,
    ) -> Result<Option<Change>> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let Some(r) = sqlx::query(&self.sql("SELECT seq, doc, tags, trackstar_created_date, trackstar_updated_date FROM records WHERE connection_id = $1 AND resource = $2 AND id = $3"))
            .bind(connection_id)
            .bind(resource.key)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(None);
        };
        let old = str_col(&r, "tags")?;
        let doc = str_col(&r, "doc")?;
        let mut change = Change {
            kind: ChangeKind::Updated,
            id: id.to_string(),
            previous: Some(doc.clone()),
            doc,
            trackstar_created_date: str_col(&r, "trackstar_created_date")?,
            trackstar_updated_date: str_col(&r, "trackstar_updated_date")?,
            tags: tags.to_string(),
        };
        if old != tags {
            change.trackstar_updated_date = now.to_string();
            sqlx::query(
                &self.sql(
                    "UPDATE records SET tags = $1, trackstar_updated_date = $2 WHERE seq = $3",
                ),
            )
            .bind(tags)
            .bind(now)
            .bind(int_col(&r, "seq")?)
            .execute(&mut *tx)
            .await?;
            index_tags(&mut tx, self, int_col(&r, "seq")?, tags).await?;
            let events = events_of(&change, &old);
            crate::events::insert_in(&mut tx, self, &events).await?;
            tx.commit().await?;
            if !events.is_empty() {
                self.notify_events().await;
            }
        } else {
            tx.commit().await?;
        }
        Ok(Some(change))
    }
}
