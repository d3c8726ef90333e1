//! The Link modal in a real browser: headless Chromium, driven by playwright-core from
//! `tests/browser/link.mjs`, against the real server. The host page is served from another
//! origin (a tiny server on its own port) so the `postMessage` origin checks are real. The
//! test plays the host page's backend: it creates link tokens and exchanges auth codes.
//!
//! Needs `node`, `tests/browser/node_modules` (`npm ci --prefix tests/browser`) and Chromium
//! (`/usr/bin/chromium`, or `WAYBILL_CHROMIUM`). Without them the browser tests skip, unless
//! `CI` is set, where they fail. Screenshots land in `target/test-artifacts/browser/`.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// What the browser tests need, found on this machine.
struct Browser {
    script: PathBuf,
    chromium: PathBuf,
    artifacts: PathBuf,
}

/// Finds node, the npm packages and Chromium; `None` (skip) when missing outside CI.
fn browser() -> Option<Browser> {
    let root = workspace_root();
    let chromium = PathBuf::from(
        std::env::var("WAYBILL_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
    );
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let mut missing = Vec::new();
    if !node_ok {
        missing.push("node is not installed".to_string());
    }
    if !root
        .join("tests/browser/node_modules/playwright-core")
        .is_dir()
    {
        missing.push(
            "tests/browser/node_modules is missing (run `npm ci --prefix tests/browser`)"
                .to_string(),
        );
    }
    if !chromium.exists() {
        missing.push(format!(
            "{} is missing (apt-get install chromium chromium-driver)",
            chromium.display()
        ));
    }
    if !missing.is_empty() {
        let why = missing.join("; ");
        if std::env::var_os("CI").is_some() {
            panic!("browser tests cannot run in CI: {why}");
        }
        eprintln!("skipping the browser test: {why}");
        return None;
    }
    Some(Browser {
        script: root.join("tests/browser/link.mjs"),
        chromium,
        artifacts: root.join("target/test-artifacts/browser"),
    })
}

impl Browser {
    /// Runs one scenario of link.mjs and returns its JSON result; panics with the logs when
    /// the scenario fails or takes more than three minutes.
    async fn run(&self, server: &Server, mut args: Value) -> Value {
        args["chromium"] = json!(self.chromium);
        args["artifacts"] = json!(self.artifacts);
        args["waybill"] = json!(server.base);
        let script = self.script.clone();
        let scenario = args["scenario"].clone();
        let (status, stdout, stderr) = tokio::task::spawn_blocking(move || {
            let mut child = Command::new("node")
                .arg(&script)
                .arg(args.to_string())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start node");
            let out = child.stdout.take().expect("stdout");
            let err = child.stderr.take().expect("stderr");
            let reader =
                std::thread::spawn(move || std::io::read_to_string(out).unwrap_or_default());
            let err_reader =
                std::thread::spawn(move || std::io::read_to_string(err).unwrap_or_default());
            let start = Instant::now();
            let status = loop {
                if let Some(s) = child.try_wait().expect("wait node") {
                    break Some(s);
                }
                if start.elapsed() > Duration::from_secs(180) {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
                std::thread::sleep(Duration::from_millis(50));
            };
            (
                status,
                reader.join().unwrap_or_default(),
                err_reader.join().unwrap_or_default(),
            )
        })
        .await
        .expect("join");
        let last = stdout
            .lines()
            .rev()
            .find(|l| l.starts_with('{'))
            .unwrap_or_default();
        let v: Value = serde_json::from_str(last).unwrap_or(Value::Null);
        if !matches!(status, Some(s) if s.success()) || v["ok"] != true {
            panic!("browser scenario {scenario} failed ({status:?}): {v}\n--- node stderr ---\n{stderr}\n--- server log ---\n{}", server.log());
        }
        assert_eq!(
            v["blocked"],
            json!([]),
            "requests left Waybill and the host page: {v}"
        );
        assert_eq!(v["pageErrors"], json!([]), "script errors: {v}");
        v
    }
}

/// The host page: nothing but a button and Waybill's script tag, on its own origin.
struct HostPage {
    url: String,
}

impl HostPage {
    fn start(waybill: &str) -> HostPage {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind host page");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let html = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Acme app</title></head>\
             <body><h1>Acme app</h1><button id=\"connect\" type=\"button\">Connect your WMS</button>\
             <script src=\"{waybill}/link/main.js\"></script></body></html>"
        );
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let html = html.clone();
                std::thread::spawn(move || serve_one(stream, &html));
            }
        });
        HostPage { url }
    }
}

fn serve_one(mut stream: std::net::TcpStream, html: &str) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" => break,
            Ok(_) => {}
        }
    }
    let path = first.split_whitespace().nth(1).unwrap_or("/");
    let (status, body) = if path == "/" {
        ("200 OK", html)
    } else {
        ("404 Not Found", "not found")
    };
    let ctype = if path == "/" {
        "text/html; charset=utf-8"
    } else {
        "text/plain"
    };
    let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
}

async fn link_token(s: &Server, key: &str, body: Value) -> String {
    s.post("/link/token", key, None, body).await.ok()["link_token"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn exchange(s: &Server, key: &str, code: &Value) -> Value {
    s.post("/link/exchange", key, None, json!({"auth_code": code}))
        .await
        .ok()
}

fn label(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

both!(
    embedded_link_connects_and_reinstalls_in_a_browser,
    |b| async move {
        let Some(br) = browser() else { return };
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let s = &f.server;
        let host = HostPage::start(&s.base);
        let token = link_token(s, &f.key, json!({"customer_id": "browser-customer"})).await;
        let out = br
            .run(
                s,
                json!({"scenario": "connect", "label": label(b), "host": host.url, "token": token}),
            )
            .await;
        assert_eq!(out["forgedSuccessIgnored"], true, "{out}");
        assert_eq!(out["orgName"], "Acme Logistics");
        assert_eq!(out["secretType"], "password");
        assert!(
            out["wrongCredentialError"]
                .as_str()
                .unwrap()
                .contains("Invalid API key"),
            "{out}"
        );
        assert!(
            out["syncs"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f == "get_orders"),
            "{out}"
        );
        assert_eq!(
            out["missing"],
            json!(["get_inventory"]),
            "the key lacks inventory: {out}"
        );
        assert_eq!(out["integrationName"], "sandbox");
        assert_eq!(out["closeGiven"], true);
        assert_eq!(out["hiddenAfterDone"], true);
        // The page's backend exchanges the code; the connection is listed.
        let ex = exchange(s, &f.key, &out["authCode"]).await;
        let id = ex["connection_id"].as_str().unwrap().to_string();
        assert_eq!(ex["customer_id"], "browser-customer");
        let list = s.get("/connections", &f.key, None).await.ok();
        assert!(
            list["data"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["connection_id"] == id.as_str()),
            "{list}"
        );
        // The exchanged token is used up: the modal says so.
        let out = br
            .run(
                s,
                json!({"scenario": "refused", "label": label(b), "host": host.url, "token": token}),
            )
            .await;
        assert!(
            out["error"].as_str().unwrap().contains("already been used"),
            "{out}"
        );
        let out = br.run(s, json!({"scenario": "refused", "label": format!("{}-unknown", label(b)), "host": host.url, "token": "wbl_unknown"})).await;
        assert!(
            out["error"].as_str().unwrap().contains("not valid"),
            "{out}"
        );
        // A reinstall goes straight to the form and keeps the connection.
        let token = link_token(s, &f.key, json!({"connection_id": id})).await;
        let out = br.run(s, json!({"scenario": "reinstall", "label": label(b), "host": host.url, "token": token})).await;
        assert_eq!(out["pickerShown"], false);
        assert_eq!(out["backShown"], false);
        let again = exchange(s, &f.key, &out["authCode"]).await;
        assert_eq!(again["connection_id"], ex["connection_id"]);
        assert_eq!(again["access_token"], ex["access_token"]);
        assert_eq!(
            s.get("/connections", &f.key, None).await.ok()["data"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }
);

both!(
    two_buttons_on_one_page_keep_their_own_configuration,
    |b| async move {
        let Some(br) = browser() else { return };
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let s = &f.server;
        let host = HostPage::start(&s.base);
        let a = link_token(s, &f.key, json!({})).await;
        let bt = link_token(s, &f.key, json!({})).await;
        let out = br.run(s, json!({"scenario": "buttons", "label": label(b), "host": host.url, "tokenA": a, "tokenB": bt})).await;
        assert_eq!(
            out["globals"],
            json!({"wms": true, "cart": true, "frames": 2, "defaultLoaded": false}),
            "{out}"
        );
        assert_eq!(out["cartShownInWms"], false);
        assert_eq!(
            out["pickerShownB"], false,
            "an allow list of one skips the picker"
        );
        assert!(
            !out["syncsB"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f == "get_products"),
            "disabledFunctions: {out}"
        );
        assert_eq!(out["successesA"], 1);
        let wms = exchange(s, &f.key, &out["a"]["authCode"]).await;
        let cart = exchange(s, &f.key, &out["b"]["authCode"]).await;
        let conns = s.get("/connections", &f.key, None).await.ok();
        let types: Vec<(&str, &str)> = conns["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["connection_id"].as_str().unwrap(),
                    c["integration_type"].as_str().unwrap(),
                )
            })
            .collect();
        assert!(
            types.contains(&(wms["connection_id"].as_str().unwrap(), "wms")),
            "{conns}"
        );
        assert!(
            types.contains(&(cart["connection_id"].as_str().unwrap(), "cart")),
            "{conns}"
        );
        // The cart button's disabledFunctions reached the connection.
        assert!(
            !cart["available_actions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f == "get_products"),
            "{cart}"
        );
        assert!(
            wms["available_actions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f == "get_products"),
            "{wms}"
        );
    }
);

both!(
    the_modal_works_by_keyboard_on_a_small_screen_and_checks_origins,
    |b| async move {
        let Some(br) = browser() else { return };
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let s = &f.server;
        let host = HostPage::start(&s.base);
        let token = link_token(s, &f.key, json!({})).await;
        let out = br.run(s, json!({"scenario": "keyboard", "label": label(b), "host": host.url, "token": token})).await;
        assert_eq!(out["searchFocused"], true, "{out}");
        assert!(
            out["dialogWidth"].as_f64().unwrap() <= 360.0
                && out["dialogX"].as_f64().unwrap() >= 0.0,
            "{out}"
        );
        assert_eq!(
            out["fits"], true,
            "no horizontal scrolling at 360 px: {out}"
        );
        assert_eq!(out["trapped"], true, "Tab stays in the dialog: {out}");
        assert_eq!(out["labelled"], true);
        assert_eq!(out["firstFieldFocused"], true, "{out}");
        assert!(
            out["requiredError"].as_str().unwrap().contains("required"),
            "{out}"
        );
        assert_eq!(out["hidden"], true, "Esc closes: {out}");
        assert_eq!(
            out["focusBack"], "connect",
            "focus returns to the page: {out}"
        );
        assert_eq!(out["sandboxHidden"], true);
        assert_eq!(
            out["rogueIgnored"], true,
            "a frame told of another parent ignores this one"
        );
        let out = br
            .run(
                s,
                json!({"scenario": "filters", "label": label(b), "host": host.url, "token": token}),
            )
            .await;
        // What each filter should leave, from the catalogue itself (sorted; the picker's order
        // is its own).
        let catalogue = |ty: &'static str| {
            let key = f.key.clone();
            async move {
                s.get(&format!("/integrations/{ty}"), &key, None).await.ok()["data"]
                    .as_array()
                    .unwrap()
                    .clone()
            }
        };
        let (wms, cart) = (catalogue("wms").await, catalogue("cart").await);
        let names = |list: &[Value], keep: &dyn Fn(&Value) -> bool| {
            let mut v: Vec<String> = list
                .iter()
                .filter(|i| keep(i))
                .map(|i| i["display_name"].as_str().unwrap().to_string())
                .collect();
            v.sort();
            v
        };
        let offers = |i: &Value, fs: &[&str]| {
            fs.iter().all(|f| {
                i["available_actions"]
                    .as_array()
                    .unwrap()
                    .contains(&json!(f))
            })
        };
        let real = |i: &Value| i["integration_name"] != "sandbox";
        let shown = |k: &str| {
            let mut v: Vec<String> = out["shown"][k]
                .as_array()
                .unwrap_or_else(|| panic!("{out}"))
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect();
            v.sort();
            v
        };
        let all_wms = names(&wms, &|_| true);
        assert!(all_wms.contains(&"WMS Sandbox".to_string()), "{all_wms:?}");
        assert_eq!(
            shown("noSandbox"),
            names(&wms, &real),
            "the sandbox needs sandbox: true: {out}"
        );
        assert_eq!(shown("sandbox"), all_wms);
        assert_eq!(shown("blocked"), names(&wms, &real));
        assert_eq!(
            shown("allowAndBlock"),
            all_wms,
            "both lists given: neither applies"
        );
        assert_eq!(shown("allowOther"), Vec::<String>::new());
        assert_eq!(
            shown("readsOffered"),
            names(&wms, &|i| offers(i, &["get_orders", "get_returns"]))
        );
        let writers = names(&wms, &|i| offers(i, &["create_order"]));
        assert!(writers.contains(&"WMS Sandbox".to_string()));
        assert_eq!(shown("writeOffered"), writers);
        assert_eq!(shown("cart"), names(&cart, &|_| true));
        assert_eq!(out["preselectedSkipsPicker"], true);
    }
);

both!(
    a_magic_link_goes_from_creation_to_a_listed_connection,
    |b| async move {
        let Some(br) = browser() else { return };
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let s = &f.server;
        f.db.cli(&[
            "org",
            "set-branding",
            "--organization",
            &f.org_id,
            "--name",
            "Acme Shipping",
            "--accent-color",
            "#0a7f5c",
        ]);
        let m = s
            .post(
                "/magic-links",
                &f.key,
                None,
                json!({"integration_allow_list": ["sandbox"], "customer_id": "magic-customer"}),
            )
            .await
            .ok();
        let url = m["magic_link"]["url"].as_str().unwrap();
        let expired = s
            .post("/magic-links", &f.key, None, json!({"link_duration": 0}))
            .await
            .ok();
        let refused = expired["magic_link"]["url"].as_str().unwrap();
        let out = br
            .run(
                s,
                json!({"scenario": "magic", "label": label(b), "url": url, "refusedUrl": refused}),
            )
            .await;
        assert_eq!(out["orgName"], "Acme Shipping");
        assert_eq!(out["accent"], "#0a7f5c");
        assert!(
            out["wrongCredentialError"]
                .as_str()
                .unwrap()
                .contains("Invalid API key"),
            "{out}"
        );
        assert!(
            out["successText"].as_str().unwrap().contains("connected"),
            "{out}"
        );
        assert!(
            out["refusedText"].as_str().unwrap().contains("expired"),
            "{out}"
        );
        let list = s.get("/connections", &f.key, None).await.ok();
        let conns = list["data"].as_array().unwrap();
        assert_eq!(conns.len(), 1, "{list}");
        assert_eq!(conns[0]["customer_id"], "magic-customer");
        assert_eq!(conns[0]["integration_name"], "sandbox");
    }
);

both!(link_assets_are_served_small_and_typed, |b| async move {
    let Some(f) = Fixture::new(b).await else {
        return;
    };
    let s = &f.server;
    let get = |p: &'static str| s.call(Method::GET, p, None, None, None);
    let js = get("/link/main.js").await;
    assert_eq!(js.status.as_u16(), 200);
    assert!(js.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    assert_eq!(js.headers["cache-control"], "public, max-age=300");
    assert!(js.text.contains("window.Trackstar"));
    let page = get("/link/modal").await;
    assert!(page.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(page.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors *"));
    let v = page
        .text
        .split("modal.js?v=")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let css = s
        .call(
            Method::GET,
            &format!("/link/modal.css?v={v}"),
            None,
            None,
            None,
        )
        .await;
    assert!(css.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    assert!(css.headers["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let stale = get("/link/modal.js?v=old").await;
    assert_eq!(stale.headers["cache-control"], "public, max-age=300");
    let logo = get("/link/logos/wms/sandbox.svg").await;
    assert_eq!(logo.status.as_u16(), 200);
    assert_eq!(logo.headers["content-type"], "image/svg+xml");
    assert!(logo.text.contains(">WS</text>") && logo.text.contains("WMS Sandbox"));
    get("/link/logos/wms/nope.svg").await.assert_error(404);
    get("/link/logos/wms/sandbox.png").await.assert_error(404);
    get("/link/logos/boat/sandbox.svg").await.assert_error(422);
    // The catalogue's logo URLs resolve.
    let cat = s.get("/integrations/cart/sandbox", &f.key, None).await.ok();
    let url = cat["data"][0]["logo_url"].as_str().unwrap();
    assert_eq!(s.http.get(url).send().await.unwrap().status().as_u16(), 200);
    // Budget: main.js plus the modal's page, CSS and JS under 60 KB gzipped.
    if let Some(br) = browser() {
        let out = br.run(s, json!({"scenario": "sizes"})).await;
        let total = out["totalGzip"].as_u64().unwrap();
        eprintln!("Link assets gzipped: {total} bytes ({})", out["assets"]);
        assert!(total < 60 * 1024, "{out}");
    }
});
