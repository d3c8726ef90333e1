//! Reliability through the real binary: a vendor's Retry-After is waited out, a `kill -9`
//! during a historical sync loses and duplicates nothing (and the restarted sync leaves the
//! records stored before the crash alone), and (on PostgreSQL) two worker
//! processes never run the same job, as the sandbox's own counters show.

mod common;
use common::*;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::process::Stdio;

async fn install(s: &Server, key: &str, api_key: &str, orders: u64) -> Value {
    s.link_install(
        key,
        json!({"api_key": api_key, "orders": orders.to_string()}),
    )
    .await
}

async fn connection(s: &Server, key: &str, id: &str) -> Value {
    s.get(&format!("/connections/{id}"), key, None).await.ok()["data"].clone()
}

fn all_done(c: &Value) -> bool {
    let h = c["historical_sync_completed"].as_object().unwrap();
    !h.is_empty() && h.values().all(|v| v == true)
}

async fn wait_done(s: &Server, key: &str, id: &str) -> Value {
    for _ in 0..1200 {
        let c = connection(s, key, id).await;
        if all_done(&c) {
            return c;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("historical sync never completed:\n{}", s.log());
}

/// Sync leases short enough that a job whose worker was killed is picked up again at once.
const LEASE: [(&str, &str); 1] = [("WAYBILL_SYNC_LEASE_SECS", "2")];

/// A sandbox of `orders` orders being loaded by a server about to be killed.
struct Loading {
    db: Db,
    key: String,
    server: Server,
    id: String,
    token: String,
}

impl Loading {
    async fn start(b: Backend, orders: u64) -> Option<Self> {
        let db = Db::new(b).await?;
        let (org, key) = db.org("Acme");
        // The sandbox spans 30 days up to its creation; a lookback of 31 keeps every record
        // inside the window of a historical sync that restarts later.
        db.set_lookback(&org, 31);
        let server = Server::start_with(&db, &LEASE);
        let ex = install(&server, &key, "k", orders).await;
        Some(Self {
            id: ex["connection_id"].as_str().unwrap().to_string(),
            token: ex["access_token"].as_str().unwrap().to_string(),
            db,
            key,
            server,
        })
    }
}

async fn order_ids(s: &Server, key: &str, token: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let url = match &next {
            Some(t) => format!("/wms/orders?limit=1000&page_token={t}"),
            None => "/wms/orders?limit=1000".into(),
        };
        let v = s.get(&url, key, Some(token)).await.ok();
        ids.extend(
            v["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap().to_string()),
        );
        match v["next_token"].as_str() {
            Some(t) => next = Some(t.into()),
            None => return ids,
        }
    }
}

both!(a_throttling_vendor_is_waited_out, |b| async move {
    let Some(f) = Fixture::new(b).await else {
        return;
    };
    let ex = install(&f.server, &f.key, "key-throttle", 300).await;
    let id = ex["connection_id"].as_str().unwrap();
    let c = wait_done(&f.server, &f.key, id).await;
    assert!(c["errors"].as_array().unwrap().is_empty(), "{c}");
    let ids = order_ids(&f.server, &f.key, ex["access_token"].as_str().unwrap()).await;
    assert_eq!(ids.len(), 300);
    assert!(
        f.server.log().contains("retrying"),
        "the 429s were seen and waited out"
    );
});

both!(
    kill_9_during_a_historical_sync_loses_and_duplicates_nothing,
    |b| async move {
        let Some(Loading {
            db,
            key,
            server: mut s,
            id,
            token,
        }) = Loading::start(b, 20_000).await
        else {
            return;
        };
        // Kill the server while some functions have finished and others have not.
        let mut killed_midway = false;
        for _ in 0..600 {
            let c = connection(&s, &key, &id).await;
            let h = c["historical_sync_completed"].as_object().unwrap().clone();
            if h.values().any(|v| v == true) {
                killed_midway = !h.values().all(|v| v == true);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        s.child.kill().unwrap();
        s.child.wait().unwrap();
        let s = Server::start_with(&db, &LEASE);
        wait_done(&s, &key, &id).await;
        let ids = order_ids(&s, &key, &token).await;
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "no duplicates");
        assert_eq!(
            ids.len(),
            20_000,
            "nothing lost (killed midway: {killed_midway})"
        );
    }
);

both!(
    a_historical_sync_restarted_after_a_crash_leaves_stored_records_alone,
    |b| async move {
        let Some(Loading {
            db,
            key,
            server: mut s,
            id,
            token,
        }) = Loading::start(b, 30_000).await
        else {
            return;
        };
        // The first bulk transaction of orders is visible by id (lists wait for the whole
        // function); kill the server as soon as it is, while the rest is still loading.
        let first = "/wms/orders/ord_000000001";
        let mut before = Value::Null;
        for _ in 0..3000 {
            let r = s.get(first, &key, Some(&token)).await;
            if r.status.is_success() {
                before = r.ok()["data"].clone();
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(before.is_object(), "order 1 was never stored:\n{}", s.log());
        let loading = connection(&s, &key, &id).await["historical_sync_completed"]["get_orders"]
            == json!(false);
        s.child.kill().unwrap();
        s.child.wait().unwrap();
        assert!(loading, "the orders' historical sync had already finished");
        // The restarted sync (after the 2 s lease) pulls order 1 again, unchanged: it must
        // not be rewritten, so its trackstar_updated_date stays where it was.
        let s = Server::start_with(&db, &LEASE);
        wait_done(&s, &key, &id).await;
        let after = s.get(first, &key, Some(&token)).await.ok()["data"].clone();
        assert_eq!(
            after["trackstar_updated_date"], before["trackstar_updated_date"],
            "an unchanged record was rewritten by the restarted sync"
        );
        assert_eq!(after, before);
        assert_eq!(order_ids(&s, &key, &token).await.len(), 30_000);
    }
);

both!(a_sync_that_outlasts_its_lease_runs_once, |b| async move {
    let Some(db) = Db::new(b).await else { return };
    let (org, key) = db.org("Acme");
    db.set_lookback(&org, 31);
    // A one-second lease, far shorter than the historical sync of 30,000 orders: the live
    // worker renews it, so the scheduler never starts the same function a second time.
    let s = Server::start_with(&db, &[("WAYBILL_SYNC_LEASE_SECS", "1")]);
    let ex = install(&s, &key, "k", 30_000).await;
    let id = ex["connection_id"].as_str().unwrap();
    let started = std::time::Instant::now();
    wait_done(&s, &key, id).await;
    let took = started.elapsed();
    let counters = s
        .get("/sandbox/counters/wms", &key, ex["access_token"].as_str())
        .await
        .ok()["data"]
        .clone();
    assert_eq!(
        counters["pulls.wms.get_orders"], 1,
        "get_orders started {} times in {took:?}: {counters}",
        counters["pulls.wms.get_orders"]
    );
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_on_postgres_never_run_the_same_job() {
    let Some(db) = Db::new(Backend::Postgres).await else {
        return;
    };
    let (_, key) = db.org("Acme");
    let env = [("WAYBILL_SYNC_LEASE_SECS", "600")];
    let s = Server::start_with(&db, &[("WAYBILL_NO_WORKERS", "true")]);
    let mut workers: Vec<std::process::Child> = (0..2)
        .map(|_| {
            let mut c = db.command();
            c.arg("worker").stdout(Stdio::null()).stderr(Stdio::null());
            for (k, v) in env {
                c.env(k, v);
            }
            c.spawn().expect("spawn worker")
        })
        .collect();
    let ex = install(&s, &key, "k", 3000).await;
    let id = ex["connection_id"].as_str().unwrap();
    wait_done(&s, &key, id).await;
    let counters = s
        .get("/sandbox/counters/wms", &key, ex["access_token"].as_str())
        .await
        .ok()["data"]
        .clone();
    let c = connection(&s, &key, id).await;
    for sched in c["sync_schedules"].as_array().unwrap() {
        let f = sched["function_name"].as_str().unwrap();
        assert_eq!(
            counters[format!("pulls.wms.{f}")],
            1,
            "{f} ran {} times: {counters}",
            counters[format!("pulls.wms.{f}")]
        );
    }
    for w in &mut workers {
        let _ = w.kill();
        let _ = w.wait();
    }
}
