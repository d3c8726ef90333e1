// Drives headless Chromium through Waybill's Link modal, one scenario per run.
//
//   node tests/browser/link.mjs '{"scenario": "connect", "waybill": "http://127.0.0.1:1234", ...}'
//
// Started by crates/waybill/tests/link_browser.rs, which creates link tokens and magic links,
// serves the host page on another origin, and checks the API afterwards. Prints one JSON
// object on stdout ({"ok": true, ...} or {"ok": false, "error", "step"}); logs go to stderr.
// Every request to an origin other than the host page's and Waybill's is blocked and reported.

import { chromium } from "playwright-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";

const args = JSON.parse(process.argv[2] || "{}");
const TIMEOUT = 20000;
const log = (...a) => console.error("[browser]", ...a);
let step = "start";
let shotNo = 0;

function fail(msg) {
  throw new Error(msg);
}

async function shot(page, name) {
  if (!args.artifacts) return;
  fs.mkdirSync(args.artifacts, { recursive: true });
  shotNo += 1;
  const file = path.join(args.artifacts, `${args.label || "run"}-${args.scenario}-${String(shotNo).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file });
}

/** The modal iframe of an instance ("default" for window.Trackstar). */
function modal(page, tag) {
  return page.frameLocator(`[data-trackstar-modal="${tag || "default"}"] iframe`);
}

/** Calls init on window.Trackstar with test callbacks that record events per instance. */
async function init(page, token, extra) {
  const tag = (extra && extra.buttonId) || "default";
  await page.evaluate(
    ({ token, extra, tag }) => {
      window.events = window.events || [];
      window.closers = window.closers || {};
      window.Trackstar.init(
        Object.assign({}, extra, {
          getLinkToken: async () => token,
          onSuccess: (authCode, integrationName, close) => {
            window.events.push({ tag, type: "success", authCode, integrationName, hasClose: typeof close === "function" });
            window.closers[tag] = close;
          },
          onClose: () => window.events.push({ tag, type: "close" }),
          onLoad: () => window.events.push({ tag, type: "load" }),
        })
      );
    },
    { token, extra: extra || {}, tag }
  );
  await page.waitForFunction((tag) => (window.events || []).some((e) => e.tag === tag && e.type === "load"), tag, { timeout: TIMEOUT });
  const loaded = await page.evaluate((tag) => (tag === "default" ? window.Trackstar : window["Trackstar" + tag]).state.isLoaded, tag);
  if (loaded !== true) fail(`state.isLoaded is ${loaded} after onLoad`);
  return tag;
}

async function open(page, tag, opts) {
  await page.evaluate(({ tag, opts }) => (tag === "default" ? window.Trackstar : window["Trackstar" + tag]).open(opts || {}), { tag, opts });
}

async function waitEvent(page, tag, type) {
  const h = await page.waitForFunction(({ tag, type }) => (window.events || []).find((e) => e.tag === tag && e.type === type), { tag, type }, { timeout: TIMEOUT });
  return h.jsonValue();
}

async function eventCount(page, tag, type) {
  return page.evaluate(({ tag, type }) => (window.events || []).filter((e) => e.tag === tag && e.type === type).length, { tag, type });
}

/** Fills the sandbox's credential form and submits it. */
async function submitKey(m, key) {
  const input = m.getByLabel("Sandbox API key", { exact: true });
  await input.fill(key);
  await m.getByRole("button", { name: "Connect", exact: true }).click();
}

/** From the credential form to the success step; returns what the permissions step listed. */
async function connectAndFinish(page, m, name) {
  step = `${name}: wrong credentials`;
  await submitKey(m, "invalid-key");
  const alert = m.locator("#wb-form-error");
  await alert.filter({ hasText: "Invalid API key" }).waitFor({ timeout: TIMEOUT });
  const wrongCredentialError = await alert.textContent();
  await shot(page, `${name}-wrong-credentials`);
  step = `${name}: credentials`;
  await submitKey(m, "good-key-no-inventory");
  await m.getByRole("heading", { name: "Review access" }).waitFor({ timeout: TIMEOUT });
  const syncs = await m.locator("ul.wb-fn:not(.wb-missing) li").evaluateAll((ls) => ls.map((l) => l.dataset.function));
  const missing = await m.locator("ul.wb-missing li").evaluateAll((ls) => ls.map((l) => l.dataset.function));
  await shot(page, `${name}-permissions`);
  step = `${name}: continue`;
  await m.getByRole("button", { name: "Continue", exact: true }).click();
  await m.getByRole("heading", { name: "Connected" }).waitFor({ timeout: TIMEOUT });
  await shot(page, `${name}-success`);
  return { wrongCredentialError, syncs, missing };
}

async function hostPage(context) {
  const page = await context.newPage();
  page.on("console", (msg) => log("console", msg.type(), msg.text()));
  page.on("pageerror", (e) => {
    log("page error", String(e));
    pageErrors.push(String(e));
  });
  await page.goto(args.host, { waitUntil: "load" });
  const has = await page.evaluate(() => typeof window.Trackstar === "object" && typeof window.Trackstar.init === "function");
  if (!has) fail("main.js did not define window.Trackstar");
  return page;
}

const pageErrors = [];

const scenarios = {
  // Script tag only → init → open → picker → wrong key → right key → permissions → onSuccess.
  async connect(context) {
    const page = await hostPage(context);
    step = "forged message";
    // A message from the host page's own origin pretending to be the modal is ignored.
    await page.evaluate(() => window.postMessage({ source: "waybill-link", type: "success", authCode: "forged", integrationName: "x" }, "*"));
    const tag = await init(page, args.token, { sandbox: true });
    await page.waitForTimeout(200);
    const forgedSuccessIgnored = (await eventCount(page, tag, "success")) === 0;
    step = "open";
    await open(page, tag);
    const m = modal(page, tag);
    const pick = m.getByRole("button", { name: "WMS Sandbox", exact: true });
    await pick.waitFor({ timeout: TIMEOUT });
    const orgName = await m.locator("#wb-org").textContent();
    await shot(page, "picker");
    step = "search";
    await m.getByLabel("Search integrations").fill("nothing-matches-this");
    await m.getByText("No integration matches your search.").waitFor({ timeout: TIMEOUT });
    await m.getByLabel("Search integrations").fill("sandb");
    await pick.click();
    await m.getByRole("heading", { name: "Connect WMS Sandbox" }).waitFor({ timeout: TIMEOUT });
    const secretType = await m.getByLabel("Sandbox API key", { exact: true }).getAttribute("type");
    await shot(page, "credentials");
    const r = await connectAndFinish(page, m, "connect");
    const success = await waitEvent(page, tag, "success");
    step = "done";
    await m.getByRole("button", { name: "Done", exact: true }).click();
    await waitEvent(page, tag, "close");
    const hidden = await page.locator('[data-trackstar-modal="default"]').evaluate((el) => getComputedStyle(el).display === "none");
    return { ...r, forgedSuccessIgnored, orgName, secretType, authCode: success.authCode, integrationName: success.integrationName, closeGiven: success.hasClose, hiddenAfterDone: hidden };
  },

  // A used or expired link token shows the server's message.
  async refused(context) {
    const page = await hostPage(context);
    const tag = await init(page, args.token, { sandbox: true });
    await open(page, tag);
    const m = modal(page, tag);
    const alert = m.getByRole("alert");
    await alert.waitFor({ timeout: TIMEOUT });
    const error = await alert.textContent();
    const title = await m.locator("#wb-title").textContent();
    await shot(page, "refused");
    await m.locator("#wb-body").getByRole("button", { name: "Close", exact: true }).click();
    await waitEvent(page, tag, "close");
    return { error, title };
  },

  // A reinstall token goes straight to the integration's form.
  async reinstall(context) {
    const page = await hostPage(context);
    const tag = await init(page, args.token, {});
    await open(page, tag);
    const m = modal(page, tag);
    await m.getByRole("heading", { name: "Connect WMS Sandbox" }).waitFor({ timeout: TIMEOUT });
    const pickerShown = (await m.locator("#wb-search").count()) > 0;
    const backShown = (await m.getByRole("button", { name: "Back", exact: true }).count()) > 0;
    await shot(page, "reinstall-form");
    await submitKey(m, "second-key");
    await m.getByRole("button", { name: "Continue", exact: true }).click();
    const success = await waitEvent(page, tag, "success");
    // The host closes the modal itself through the close function onSuccess received.
    await page.evaluate((tag) => window.closers[tag](), tag);
    await waitEvent(page, tag, "close");
    return { pickerShown, backShown, authCode: success.authCode, integrationName: success.integrationName };
  },

  // Two buttons, two instances, two configurations on one page.
  async buttons(context) {
    const page = await hostPage(context);
    const a = await init(page, args.tokenA, { buttonId: "Wms", sandbox: true, integrationType: "wms" });
    const b = await init(page, args.tokenB, { buttonId: "Cart", sandbox: true, integrationType: "cart", integrationAllowList: ["sandbox"], disabledFunctions: ["get_products"] });
    const globals = await page.evaluate(() => ({
      wms: typeof window.TrackstarWms === "object" && typeof window.TrackstarWms.open === "function",
      cart: typeof window.TrackstarCart === "object" && typeof window.TrackstarCart.open === "function",
      frames: document.querySelectorAll("[data-trackstar-modal] iframe").length,
      defaultLoaded: window.Trackstar.state.isLoaded,
    }));
    step = "button A";
    await open(page, a);
    const ma = modal(page, a);
    const wmsPick = ma.getByRole("button", { name: "WMS Sandbox", exact: true });
    await wmsPick.waitFor({ timeout: TIMEOUT });
    const cartShownInWms = (await ma.getByRole("button", { name: "Cart Sandbox", exact: true }).count()) > 0;
    await wmsPick.click();
    await submitKey(ma, "key-a");
    await ma.getByRole("button", { name: "Continue", exact: true }).click();
    const sa = await waitEvent(page, a, "success");
    await shot(page, "button-a-success");
    await page.evaluate(() => window.TrackstarWms.close());
    await waitEvent(page, a, "close");
    step = "button B";
    await open(page, b);
    const mb = modal(page, b);
    // An allow list of exactly one integration skips the picker.
    await mb.getByRole("heading", { name: "Connect Cart Sandbox" }).waitFor({ timeout: TIMEOUT });
    const pickerShownB = (await mb.locator("#wb-search").count()) > 0;
    await shot(page, "button-b-form");
    await submitKey(mb, "key-b");
    await mb.getByRole("heading", { name: "Review access" }).waitFor({ timeout: TIMEOUT });
    const syncsB = await mb.locator("ul.wb-fn li").evaluateAll((ls) => ls.map((l) => l.dataset.function));
    await mb.getByRole("button", { name: "Continue", exact: true }).click();
    const sb = await waitEvent(page, b, "success");
    await shot(page, "button-b-success");
    const successesA = await eventCount(page, a, "success");
    return { globals, cartShownInWms, pickerShownB, syncsB, successesA, a: sa, b: sb };
  },

  // Keyboard, labels, a 360 px screen, the sandbox filter, and the iframe's origin check.
  async keyboard(context) {
    const page = await hostPage(context);
    await page.setViewportSize({ width: 360, height: 740 });
    const tag = await init(page, args.token, { sandbox: true });
    await page.locator("#connect").focus();
    await open(page, tag);
    const m = modal(page, tag);
    await m.getByRole("button", { name: "WMS Sandbox", exact: true }).waitFor({ timeout: TIMEOUT });
    const searchFocused = await m.locator("#wb-search").evaluate((el) => el === document.activeElement);
    const box = await m.locator("#wb-dialog").boundingBox();
    const fits = await m.locator("body").evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    await shot(page, "picker-360px");
    step = "tab order";
    const trail = [];
    let trapped = true;
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press("Tab");
      const where = await m.locator("body").evaluate(() => {
        const a = document.activeElement;
        return { inside: document.getElementById("wb-dialog").contains(a), name: a ? a.getAttribute("aria-label") || a.id || a.textContent.trim() : null };
      });
      trail.push(where.name);
      trapped = trapped && where.inside;
    }
    step = "form labels";
    await m.getByRole("button", { name: "WMS Sandbox", exact: true }).press("Enter");
    await m.getByRole("heading", { name: "Connect WMS Sandbox" }).waitFor({ timeout: TIMEOUT });
    const labelled = await m.locator("input").evaluateAll((ins) => ins.length > 0 && ins.every((i) => i.labels && i.labels.length > 0 && i.labels[0].textContent.trim().length > 0));
    const firstFieldFocused = await m.getByLabel("Sandbox API key", { exact: true }).evaluate((el) => el === document.activeElement);
    // Submitting empty shows the field's own error without a request.
    await m.getByRole("button", { name: "Connect", exact: true }).click();
    const requiredError = await m.locator(".wb-field-error").first().textContent();
    await shot(page, "form-360px");
    step = "escape";
    await page.keyboard.press("Escape");
    await waitEvent(page, tag, "close");
    const hidden = await page.locator('[data-trackstar-modal="default"]').evaluate((el) => getComputedStyle(el).display === "none");
    const focusBack = await page.evaluate(() => document.activeElement && document.activeElement.id);
    step = "sandbox hidden";
    await page.evaluate(() => window.Trackstar.init(Object.assign({}, { getLinkToken: async () => window.__token, onSuccess: () => {}, sandbox: false })));
    await page.evaluate((t) => { window.__token = t; }, args.token);
    await open(page, tag);
    // Without sandbox: true only the real integrations are offered.
    await m.locator(".wb-int").first().waitFor({ timeout: TIMEOUT });
    const sandboxHidden = (await m.getByRole("button", { name: "WMS Sandbox", exact: true }).count()) === 0;
    await shot(page, "sandbox-hidden");
    await page.evaluate(() => window.Trackstar.close());
    step = "origin check";
    // An iframe told that its parent is another origin ignores this page's messages.
    await page.evaluate(
      async ({ waybill, token }) => {
        const f = document.createElement("iframe");
        f.id = "rogue";
        f.src = waybill + "/link/modal?origin=" + encodeURIComponent("http://elsewhere.invalid");
        document.body.appendChild(f);
        await new Promise((r) => f.addEventListener("load", r, { once: true }));
        f.contentWindow.postMessage({ source: "waybill-link", type: "open", token, config: { sandbox: true } }, waybill);
        await new Promise((r) => setTimeout(r, 1000));
      },
      { waybill: args.waybill, token: args.token }
    );
    const rogueTitles = await page.frameLocator("#rogue").locator("#wb-title").count();
    return { searchFocused, dialogWidth: box && box.width, dialogX: box && box.x, fits, trail, trapped, labelled, firstFieldFocused, requiredError, hidden, focusBack, sandboxHidden, rogueIgnored: rogueTitles === 0 };
  },

  // Which integrations each filter option leaves in the picker, and open({integrationId}).
  async filters(context) {
    const page = await hostPage(context);
    await page.evaluate((t) => { window.__token = t; }, args.token);
    const cases = {
      noSandbox: {},
      sandbox: { sandbox: true },
      blocked: { sandbox: true, integrationBlockList: ["sandbox"] },
      allowAndBlock: { sandbox: true, integrationAllowList: ["elsewhere"], integrationBlockList: ["other"] },
      allowOther: { sandbox: true, integrationAllowList: ["elsewhere"] },
      readsOffered: { sandbox: true, integrationsWithEndpoints: ["get_orders", "get_returns"] },
      writeOffered: { sandbox: true, integrationsWithEndpoints: ["create_order"] },
      cart: { sandbox: true, integrationType: "cart" },
    };
    const shown = {};
    const m = modal(page, "default");
    for (const [name, cfg] of Object.entries(cases)) {
      step = `filter ${name}`;
      await page.evaluate((cfg) => window.Trackstar.init(Object.assign({}, cfg, { getLinkToken: async () => window.__token, onSuccess: () => {} })), cfg);
      await open(page, "default");
      await m.locator("#wb-title").filter({ hasText: /^Connect your/ }).waitFor({ timeout: TIMEOUT });
      shown[name] = await m.locator(".wb-int").allTextContents();
      await page.evaluate(() => window.Trackstar.close());
    }
    step = "integrationId";
    await page.evaluate(() => window.Trackstar.init({ sandbox: true, getLinkToken: async () => window.__token, onSuccess: () => {} }));
    await open(page, "default", { integrationId: "sandbox" });
    await m.getByRole("heading", { name: "Connect WMS Sandbox" }).waitFor({ timeout: TIMEOUT });
    const preselectedSkipsPicker = (await m.locator("#wb-search").count()) === 0;
    await shot(page, "preselected");
    return { shown, preselectedSkipsPicker };
  },

  // The hosted magic-link page, standalone, on a phone-sized screen; and a refused one.
  async magic(context) {
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(args.url);
    await page.getByRole("heading", { name: "Connect WMS Sandbox" }).waitFor({ timeout: TIMEOUT });
    const orgName = await page.locator("#wb-org").textContent();
    const accent = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--accent").trim());
    await shot(page, "magic-form");
    const r = await connectAndFinish(page, page, "magic");
    const text = await page.locator("#wb-body").textContent();
    let refusedText = null;
    if (args.refusedUrl) {
      step = "refused page";
      const resp = await page.goto(args.refusedUrl);
      refusedText = await page.locator("#wb-body").textContent();
      await shot(page, "magic-refused");
      if (resp.status() !== 410) fail(`refused page answered ${resp.status()}`);
    }
    return { ...r, orgName, accent, successText: text, refusedText };
  },

  // Gzipped size of everything a browser downloads for Link.
  async sizes() {
    const urls = ["/link/main.js", "/link/modal", "/link/modal.js", "/link/modal.css"];
    const out = {};
    let total = 0;
    for (const u of urls) {
      const body = Buffer.from(await (await fetch(args.waybill + u)).arrayBuffer());
      const gz = zlib.gzipSync(body, { level: 9 }).length;
      out[u] = { raw: body.length, gzip: gz };
      total += gz;
    }
    return { assets: out, totalGzip: total };
  },
};

async function main() {
  const run = scenarios[args.scenario];
  if (!run) fail(`unknown scenario ${args.scenario}`);
  if (args.scenario === "sizes") return { ...(await run()), blocked: [], pageErrors };
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "waybill-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: args.chromium || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    viewport: { width: 1024, height: 768 },
  });
  const allowed = [args.waybill, args.host].filter(Boolean).map((u) => new URL(u).origin);
  const blocked = [];
  await context.route("**/*", (route) => {
    const u = route.request().url();
    if (u.startsWith("data:") || allowed.some((o) => u.startsWith(o + "/"))) return route.continue();
    blocked.push(u);
    return route.abort();
  });
  try {
    const result = await run(context);
    return { ...result, blocked, pageErrors };
  } finally {
    await context.close().catch(() => {});
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().then(
  (result) => {
    process.stdout.write(JSON.stringify({ ok: true, ...result }) + "\n");
    process.exit(0);
  },
  (err) => {
    log(err && err.stack ? err.stack : String(err));
    process.stdout.write(JSON.stringify({ ok: false, step, error: String(err && err.message ? err.message : err), pageErrors }) + "\n");
    process.exit(1);
  }
);
