//! Webhooks through the real binary on both backends, part two: the dispatcher under load and
//! failure. Fan-out of outbox events appended by another process, isolation of a slow
//! endpoint, redelivery of every event after the server is killed with SIGKILL mid-burst, and
//! two servers sharing one queue without delivering anything twice.

mod common;
mod webhook_support;

use common::*;
use serde_json::json;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};
use webhook_support::receiver::{verify, Receiver, Reply};
use webhook_support::*;

both!(
    outbox_events_fan_out_to_matching_endpoints,
    |b| async move {
        let Some(st) = setup(b, &[("WAYBILL_WEBHOOK_POLL_INTERVAL", "0.2")]).await else {
            return;
        };
        let s = &st.server;
        let (all, typed, other) = (
            Receiver::ok().await,
            Receiver::ok().await,
            Receiver::ok().await,
        );
        let all_ep = endpoint(s, &st.key, json!({"url": all.url})).await;
        endpoint(
            s,
            &st.key,
            json!({"url": typed.url, "event_types": ["connection.created"]}),
        )
        .await;
        let disabled = Receiver::ok().await;
        endpoint(s, &st.key, json!({"url": disabled.url, "disabled": true})).await;
        let (_, other_key) = st.db.org("Other");
        endpoint(s, &other_key, json!({"url": other.url})).await;
        // Another process appends 40 events to the outbox.
        let out = emit(&st.db, &st.org_id, 40, 1).await;
        assert!(out.contains("\"events\":40"), "{out}");
        let hits = all.wait_for(40, Duration::from_secs(30)).await;
        let ids: HashSet<String> = hits.iter().map(|h| h.id()).collect();
        assert_eq!(ids.len(), 40);
        assert!(hits
            .iter()
            .all(|h| verify(all_ep["secret"].as_str().unwrap(), h)));
        assert!(hits
            .iter()
            .all(|h| h.json()["event_type"] == "order.updated"));
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(
            typed.hits().is_empty(),
            "the event-type filter let order.updated through"
        );
        assert!(
            disabled.hits().is_empty(),
            "a disabled endpoint received events"
        );
        assert!(
            other.hits().is_empty(),
            "another organization received events"
        );
        assert_eq!(
            all.hits().len(),
            40,
            "an event was delivered twice without a failure"
        );
    }
);

both!(a_slow_endpoint_does_not_delay_another, |b| async move {
    let env = [
        ("WAYBILL_WEBHOOK_TIMEOUT", "10"),
        ("WAYBILL_WEBHOOK_LEASE", "30"),
        ("WAYBILL_WEBHOOK_POLL_INTERVAL", "0.2"),
    ];
    let Some(st) = setup(b, &env).await else {
        return;
    };
    let s = &st.server;
    let slow = Receiver::start(Arc::new(|_| Reply {
        delay: Duration::from_secs(3),
        ..Reply::ok()
    }))
    .await;
    let fast = Receiver::ok().await;
    endpoint(s, &st.key, json!({"url": slow.url})).await;
    endpoint(s, &st.key, json!({"url": fast.url})).await;
    let started = Instant::now();
    emit(&st.db, &st.org_id, 40, 1).await;
    fast.wait_for(40, Duration::from_secs(15)).await;
    let took = started.elapsed();
    // The slow endpoint takes 3 s per request, 8 at a time: it has not seen half yet.
    assert!(
        slow.hits().len() < 40,
        "the slow endpoint kept up ({} hits), so this proves nothing",
        slow.hits().len()
    );
    assert!(
        took < Duration::from_secs(6),
        "the fast endpoint waited {took:?} behind the slow one"
    );
});

both!(killed_server_redelivers_every_event, |b| async move {
    let env = [
        (
            "WAYBILL_WEBHOOK_RETRY_SCHEDULE",
            "0,0.5,0.5,0.5,0.5,0.5,0.5,0.5",
        ),
        ("WAYBILL_WEBHOOK_TIMEOUT", "2"),
        ("WAYBILL_WEBHOOK_LEASE", "4"),
        ("WAYBILL_WEBHOOK_POLL_INTERVAL", "0.2"),
    ];
    let Some(mut st) = setup(b, &env).await else {
        return;
    };
    let rx = Receiver::start(Arc::new(|_| Reply {
        delay: Duration::from_millis(60),
        ..Reply::ok()
    }))
    .await;
    let ep = endpoint(&st.server, &st.key, json!({"url": rx.url})).await;
    let ep_id = ep["id"].as_str().unwrap().to_string();
    let emitted = emit(&st.db, &st.org_id, 300, 1).await;
    assert!(emitted.contains("\"events\":300"), "{emitted}");
    rx.wait_for(20, Duration::from_secs(30)).await;
    st.server.child.kill().unwrap();
    st.server.child.wait().unwrap();
    let delivered_before = rx.hits().len();
    assert!(
        delivered_before < 300,
        "the burst finished before the kill; nothing was tested"
    );
    let restarted = Server::start_with(&st.db, &env);
    let ids = eventually(
        Duration::from_secs(60),
        "every event to be delivered",
        || async {
            let ids: HashSet<String> = rx.hits().iter().map(|h| h.id()).collect();
            (ids.len() >= 300).then_some(ids)
        },
    )
    .await;
    assert_eq!(ids.len(), 300);
    let messages = eventually(
        Duration::from_secs(20),
        "the log to show 300 successes",
        || async {
            let m = all_messages(&restarted, &st.key, &ep_id).await;
            (m.len() == 300 && m.iter().all(|x| x["status"] == "succeeded")).then_some(m)
        },
    )
    .await;
    let logged: HashSet<String> = messages
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        logged, ids,
        "a delivered id is not an event id, or an event was lost"
    );
    let secret = ep["secret"].as_str().unwrap();
    assert!(rx.hits().iter().all(|h| verify(secret, h)));
});

both!(
    two_servers_share_the_queue_without_double_delivery,
    |b| async move {
        let env = [("WAYBILL_WEBHOOK_POLL_INTERVAL", "0.1")];
        let Some(st) = setup(b, &env).await else {
            return;
        };
        let second = Server::start_with(&st.db, &env);
        let rx = Receiver::start(Arc::new(|_| Reply {
            delay: Duration::from_millis(5),
            ..Reply::ok()
        }))
        .await;
        endpoint(&st.server, &st.key, json!({"url": rx.url})).await;
        emit(&st.db, &st.org_id, 200, 1).await;
        let hits = rx.wait_for(200, Duration::from_secs(30)).await;
        let ids: HashSet<String> = hits.iter().map(|h| h.id()).collect();
        assert_eq!(ids.len(), 200);
        // Both dispatchers fanned out and claimed concurrently; none took another's work.
        tokio::time::sleep(Duration::from_millis(1000)).await;
        assert_eq!(
            rx.hits().len(),
            200,
            "an event was delivered twice although no attempt failed"
        );
        drop(second);
    }
);
