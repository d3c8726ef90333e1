/*
 * The Link modal: integration picker, credential form, permissions review and success.
 * In "embed" mode it runs in the iframe main.js creates and talks to the host page by
 * postMessage; in "magic" mode it runs standalone on a magic-link page and completes the
 * install on the server. It only calls Waybill's own origin.
 */
(function () {
  "use strict";
  var NS = "waybill-link";
  var MODE = document.body.getAttribute("data-mode");
  var EMBED = MODE === "embed";
  var BASE = new URL("..", window.location.href).href.replace(/\/$/, "");
  var ANNOUNCED = EMBED ? new URLSearchParams(window.location.search).get("origin") : null;
  var parentOrigin = null;
  var magicId = MODE === "magic" ? decodeURIComponent(window.location.pathname.split("/").filter(Boolean).pop() || "") : null;
  var TYPE_NOUN = { wms: "warehouse system", cart: "store", carrier: "carrier account", freight: "freight forwarder" };

  var $ = function (id) { return document.getElementById(id); };
  var $body = $("wb-body");
  var $org = $("wb-org");
  var $brand = $("wb-brand");
  var $status = $("wb-status");
  var $dialog = $("wb-dialog");
  var flow = null;
  var generation = 0;

  // ---- small DOM helpers (text is always set as text, never parsed as HTML) ----
  function el(tag, attrs, kids) {
    var n = document.createElement(tag);
    if (attrs) for (var k in attrs) if (attrs[k] !== null && attrs[k] !== undefined) n.setAttribute(k, attrs[k]);
    if (kids !== undefined && kids !== null) {
      if (!Array.isArray(kids)) kids = [kids];
      kids.forEach(function (c) { if (c !== null) n.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    }
    return n;
  }
  function heading(text) { return el("h1", { id: "wb-title", class: "wb-title", tabindex: "-1" }, text); }
  function button(text, cls, onClick, attrs) {
    var a = attrs || {};
    a.type = a.type || "button";
    a.class = "wb-btn" + (cls ? " " + cls : "");
    var b = el("button", a, text);
    if (onClick) b.addEventListener("click", onClick);
    return b;
  }
  function render(nodes, focus) {
    $body.textContent = "";
    nodes.forEach(function (n) { if (n) $body.appendChild(n); });
    var target = focus || $("wb-title");
    if (target) try { target.focus({ preventScroll: false }); } catch (e) { /* best effort */ }
  }
  function announce(msg) {
    $status.textContent = "";
    setTimeout(function () { $status.textContent = msg; }, 30);
  }
  function strings(v) {
    return Array.isArray(v) ? v.filter(function (x) { return typeof x === "string" && x; }) : [];
  }
  function initials(name) {
    var out = "";
    String(name || "").split(/[\s_-]+/).forEach(function (w) {
      var m = w.match(/[A-Za-z0-9]/);
      if (m && out.length < 2) out += m[0].toUpperCase();
    });
    return out || "?";
  }
  function hue(name) {
    var h = 7;
    for (var i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) >>> 0;
    return h % 360;
  }
  function humanize(fn) {
    var m = String(fn).match(/^(get|create|update|delete|cancel)_(.+)$/);
    var verbs = { get: "Read", create: "Create", update: "Update", delete: "Delete", cancel: "Cancel" };
    return m ? verbs[m[1]] + " " + m[2].replace(/_/g, " ") : String(fn).replace(/_/g, " ");
  }

  // ---- talking to Waybill ----
  function api(method, path, body) {
    var opts = { method: method, headers: { Accept: "application/json" }, credentials: "omit", cache: "no-store" };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch(BASE + path, opts).then(
      function (r) {
        return r.text().then(function (t) {
          var j = null;
          try { j = t ? JSON.parse(t) : {}; } catch (e) { j = null; }
          if (!r.ok) {
            var err = new Error((j && typeof j.error === "string" && j.error) || "The server answered " + r.status + ". Please try again.");
            err.status = r.status;
            err.body = j || {};
            throw err;
          }
          return j || {};
        });
      },
      function () { throw new Error("Could not reach the server. Check your connection and try again."); }
    );
  }

  // ---- talking to the host page (embed mode) ----
  function post(msg) {
    var target = parentOrigin || ANNOUNCED;
    if (!EMBED || !target || window.parent === window) return;
    msg.source = NS;
    window.parent.postMessage(msg, target);
  }
  function requestClose() {
    if (!EMBED) return;
    reset();
    post({ type: "close" });
  }
  function reset() {
    generation++;
    flow = null;
    $body.textContent = "";
  }

  // ---- configuration ----
  function normalize(c) {
    c = c && typeof c === "object" ? c : {};
    return {
      integrationType: typeof c.integrationType === "string" && c.integrationType ? c.integrationType : "wms",
      sandbox: c.sandbox === true,
      integrationAllowList: strings(c.integrationAllowList),
      integrationBlockList: strings(c.integrationBlockList),
      integrationsWithEndpoints: strings(c.integrationsWithEndpoints),
      disabledFunctions: strings(c.disabledFunctions),
      logo: typeof c.logo === "string" && c.logo ? c.logo : null,
    };
  }
  function filterIntegrations(all, cfg) {
    var allow = cfg.integrationAllowList;
    var block = cfg.integrationBlockList;
    // Allow and block lists are mutually exclusive: given both, neither applies.
    var both = allow.length > 0 && block.length > 0;
    var needs = cfg.integrationsWithEndpoints;
    return all.filter(function (i) {
      if (i.integration_type !== cfg.integrationType) return false;
      if (i.integration_name === "sandbox" && !cfg.sandbox) return false;
      if (!both && allow.length && allow.indexOf(i.integration_name) < 0) return false;
      if (!both && block.length && block.indexOf(i.integration_name) >= 0) return false;
      var actions = strings(i.available_actions);
      return needs.every(function (f) { return actions.indexOf(f) >= 0; });
    });
  }
  function orgName() {
    var o = (flow && flow.session && flow.session.organization) || {};
    var b = o.branding || {};
    return typeof b.name === "string" && b.name ? b.name : o.name || "";
  }
  function applyBranding(session, cfg) {
    var b = (session.organization && session.organization.branding) || {};
    var name = orgName();
    $org.textContent = name;
    var root = document.documentElement;
    if (typeof b.accent_color === "string" && /^#[0-9a-fA-F]{6}$/.test(b.accent_color)) {
      var n = parseInt(b.accent_color.slice(1), 16);
      var lum = (0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
      root.style.setProperty("--accent", b.accent_color);
      root.style.setProperty("--on-accent", lum > 0.6 ? "#111827" : "#ffffff");
    }
    var logo = cfg.logo || (typeof b.logo_url === "string" && b.logo_url) || null;
    $brand.textContent = "";
    if (logo && /^(https?:\/\/|\/|data:image\/)/i.test(logo)) {
      var img = el("img", { src: logo, alt: "" });
      img.addEventListener("error", function () { $brand.textContent = initials(name); });
      $brand.appendChild(img);
    } else if (name) {
      $brand.textContent = initials(name);
    }
  }

  // ---- the steps ----
  function showLoading() {
    render([heading("Loading…"), el("p", { class: "wb-muted" }, "Preparing a secure connection.")]);
  }

  function showError(title, message) {
    var kids = [heading(title), el("p", { class: "wb-error-text", role: "alert" }, message)];
    if (EMBED) kids.push(el("div", { class: "wb-actions" }, [button("Close", "wb-secondary", requestClose)]));
    render(kids);
  }

  function start(token, cfg, integrationId) {
    var g = ++generation;
    flow = { token: token, config: cfg, integrationId: integrationId, session: null, list: [], skipPicker: false };
    showLoading();
    api("GET", "/link/sessions/" + encodeURIComponent(token)).then(
      function (session) {
        if (g !== generation) return;
        flow.session = session;
        applyBranding(session, cfg);
        route();
      },
      function (err) {
        if (g !== generation) return;
        showError(err.status === 400 || err.status === 404 ? "This link can’t be used" : "Something went wrong", err.message);
      }
    );
  }

  function route() {
    var all = Array.isArray(flow.session.integrations) ? flow.session.integrations : [];
    var re = flow.session.reinstall;
    if (re) {
      var same = all.filter(function (i) { return i.integration_type === re.integration_type && i.integration_name === re.integration_name; })[0];
      if (!same) return showError("This link can’t be used", "The integration of this connection is no longer available.");
      flow.skipPicker = true;
      return showForm(same);
    }
    var cfg = flow.config;
    var list = filterIntegrations(all, cfg);
    flow.list = list;
    if (flow.integrationId) {
      var pre = list.filter(function (i) { return i.integration_name === flow.integrationId; })[0];
      if (pre) {
        flow.skipPicker = true;
        return showForm(pre);
      }
    }
    if (cfg.integrationAllowList.length === 1 && !cfg.integrationBlockList.length && list.length === 1) {
      flow.skipPicker = true;
      return showForm(list[0]);
    }
    flow.skipPicker = false;
    showPicker();
  }

  function logoTile(i) {
    var tile = el("span", { class: "wb-logo", "aria-hidden": "true" });
    tile.style.background = "hsl(" + hue(i.display_name || i.integration_name) + ",45%,38%)";
    var fallback = function () { tile.textContent = initials(i.display_name || i.integration_name); };
    if (typeof i.logo_url === "string" && i.logo_url) {
      var img = el("img", { src: i.logo_url, alt: "" });
      img.addEventListener("error", fallback);
      tile.appendChild(img);
    } else {
      fallback();
    }
    return tile;
  }

  function showPicker() {
    var cfg = flow.config;
    var list = flow.list;
    var noun = TYPE_NOUN[cfg.integrationType] || "system";
    var title = heading("Connect your " + noun);
    if (!list.length) {
      render([title, el("p", { class: "wb-muted" }, "No integrations are available here. Contact " + (orgName() || "the sender") + " for help.")].concat(EMBED ? [el("div", { class: "wb-actions" }, [button("Close", "wb-secondary", requestClose)])] : []));
      return;
    }
    var search = el("input", { type: "search", id: "wb-search", autocomplete: "off", spellcheck: "false" });
    var ul = el("ul", { class: "wb-list", id: "wb-list" });
    var empty = el("p", { class: "wb-empty", hidden: "" }, "No integration matches your search.");
    function draw(speak) {
      var q = search.value.trim().toLowerCase();
      ul.textContent = "";
      var shown = 0;
      list.forEach(function (i) {
        var name = String(i.display_name || i.integration_name);
        if (q && name.toLowerCase().indexOf(q) < 0 && String(i.integration_name).toLowerCase().indexOf(q) < 0) return;
        shown++;
        var b = el("button", { type: "button", class: "wb-int", "data-integration": i.integration_name }, [logoTile(i), el("span", null, name)]);
        b.addEventListener("click", function () { showForm(i); });
        ul.appendChild(el("li", null, [b]));
      });
      empty.hidden = shown > 0;
      if (speak) announce(shown + (shown === 1 ? " integration" : " integrations") + " found");
    }
    search.addEventListener("input", function () { draw(true); });
    draw(false);
    render([title, el("p", { class: "wb-muted" }, "Choose the system you use, then enter its credentials."), el("label", { for: "wb-search" }, "Search integrations"), search, ul, empty], search);
  }

  function fieldId(name) { return "wb-f-" + String(name).replace(/[^A-Za-z0-9_-]/g, "_"); }

  function showForm(i) {
    flow.integration = i;
    var alert = el("div", { class: "wb-alert", id: "wb-form-error", role: "alert" });
    var form = el("form", { id: "wb-form", novalidate: "" }, [alert]);
    var inputs = [];
    (Array.isArray(i.auth_fields) ? i.auth_fields : []).forEach(function (f) {
      var id = fieldId(f.name);
      var input = el("input", { id: id, name: f.name, type: f.secret ? "password" : "text", autocomplete: "off", autocapitalize: "off", spellcheck: "false" });
      if (f.required) {
        input.required = true;
        input.setAttribute("aria-required", "true");
      }
      var err = el("p", { class: "wb-field-error", id: id + "-error" });
      var kids = [el("label", { for: id }, f.required ? f.label : f.label + " (optional)"), input];
      var described = [];
      if (f.help) {
        kids.push(el("p", { class: "wb-help", id: id + "-help" }, f.help));
        described.push(id + "-help");
      }
      kids.push(err);
      described.push(id + "-error");
      input.setAttribute("aria-describedby", described.join(" "));
      form.appendChild(el("div", { class: "wb-field" }, kids));
      inputs.push({ field: f, input: input, err: err });
    });
    var submit = button("Connect", null, null, { type: "submit" });
    var actions = [];
    if (!flow.skipPicker) actions.push(button("Back", "wb-secondary", function () { showPicker(); }));
    actions.push(submit);
    form.appendChild(el("div", { class: "wb-actions" }, actions));
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      submitCredentials(i, inputs, alert, submit);
    });
    var intro = flow.session.reinstall ? "Enter new credentials to reconnect this account." : "Enter the credentials of your " + i.display_name + " account.";
    render([heading("Connect " + i.display_name), el("p", { class: "wb-muted" }, intro), form], inputs.length ? inputs[0].input : submit);
  }

  function submitCredentials(i, inputs, alert, submit) {
    alert.textContent = "";
    var creds = {};
    var firstBad = null;
    inputs.forEach(function (x) {
      var v = x.input.value;
      x.err.textContent = "";
      x.input.removeAttribute("aria-invalid");
      if (x.field.required && !v.trim()) {
        x.err.textContent = x.field.label + " is required.";
        x.input.setAttribute("aria-invalid", "true");
        firstBad = firstBad || x.input;
      }
      if (v !== "") creds[x.field.name] = v;
    });
    if (firstBad) return firstBad.focus();
    var g = generation;
    var body = { integration_name: i.integration_name, integration_type: i.integration_type, credentials: creds };
    if (flow.config.disabledFunctions.length) body.disabled_functions = flow.config.disabledFunctions;
    submit.disabled = true;
    submit.setAttribute("aria-busy", "true");
    announce("Checking your credentials…");
    api("POST", "/link/sessions/" + encodeURIComponent(flow.token) + "/connect", body).then(
      function (res) {
        if (g !== generation) return;
        showPermissions(i, res);
      },
      function (err) {
        if (g !== generation) return;
        submit.disabled = false;
        submit.removeAttribute("aria-busy");
        var detail = err.body && err.body.detail && err.body.detail.json;
        var placed = null;
        if (detail) {
          inputs.forEach(function (x) {
            var m = detail["credentials." + x.field.name];
            if (Array.isArray(m) && m.length) {
              x.err.textContent = m.join(" ");
              x.input.setAttribute("aria-invalid", "true");
              placed = placed || x.input;
            }
          });
        }
        if (placed) return placed.focus();
        alert.textContent = err.message;
        if (inputs.length) inputs[0].input.focus();
      }
    );
  }

  function fnList(names, cls, notes) {
    return el("ul", { class: "wb-fn" + (cls ? " " + cls : "") }, names.map(function (f, k) {
      return el("li", { "data-function": f }, humanize(f) + (notes && notes[k] ? " — " + notes[k] : ""));
    }));
  }

  function showPermissions(i, res) {
    var off = flow.config.disabledFunctions;
    var missing = Array.isArray(res.missing_permissions) ? res.missing_permissions : [];
    var missingNames = missing.map(function (m) { return String(m["function"]); });
    var all = strings(i.available_actions);
    var syncs = all.filter(function (f) { return off.indexOf(f) < 0 && missingNames.indexOf(f) < 0; });
    var turnedOff = all.filter(function (f) { return off.indexOf(f) >= 0; });
    var who = orgName() || "This application";
    var alert = el("div", { class: "wb-alert", id: "wb-finish-error", role: "alert" });
    var next = button("Continue", null, null);
    next.addEventListener("click", function () { finish(i, res, next, alert); });
    var kids = [heading("Review access"), el("p", { class: "wb-muted" }, "Your " + i.display_name + " credentials work. " + who + " will sync:"), syncs.length ? fnList(syncs, null) : el("p", { class: "wb-empty" }, "Nothing yet.")];
    if (missing.length) {
      kids.push(el("h2", { class: "wb-subtitle" }, "Not available with these credentials:"));
      kids.push(fnList(missingNames, "wb-missing", missing.map(function (m) { return String(m.message || ""); })));
    }
    if (turnedOff.length) {
      kids.push(el("p", { class: "wb-muted" }, "Turned off for this connection: " + turnedOff.map(humanize).join(", ") + "."));
    }
    kids.push(alert);
    kids.push(el("div", { class: "wb-actions" }, [button("Use other credentials", "wb-secondary", function () { showForm(i); }), next]));
    render(kids, next);
  }

  function finish(i, res, next, alert) {
    if (EMBED) {
      showSuccess(i);
      post({ type: "success", authCode: res.auth_code, integrationName: res.integration_name || i.integration_name });
      return;
    }
    var g = generation;
    next.disabled = true;
    alert.textContent = "";
    api("POST", "/magic-link/" + encodeURIComponent(magicId) + "/complete", { auth_code: res.auth_code }).then(
      function () { if (g === generation) showSuccess(i); },
      function (err) {
        if (g !== generation) return;
        next.disabled = false;
        alert.textContent = err.message;
      }
    );
  }

  function showSuccess(i) {
    var who = orgName();
    var kids = [el("div", { class: "wb-check", "aria-hidden": "true" }, "✓"), heading("Connected"), el("p", null, i.display_name + " is now connected" + (who ? " to " + who : "") + ".")];
    if (EMBED) kids.push(el("div", { class: "wb-actions" }, [button("Done", null, requestClose)]));
    else kids.push(el("p", { class: "wb-muted" }, "You can close this page."));
    render(kids);
    if (EMBED) {
      var done = $body.querySelector(".wb-actions .wb-btn");
      if (done) done.focus();
    }
  }

  // ---- keyboard: Esc closes, Tab stays inside the dialog ----
  function focusables() {
    var nodes = $dialog.querySelectorAll("button, [href], input, select, textarea, [tabindex]:not([tabindex='-1'])");
    return Array.prototype.filter.call(nodes, function (n) { return !n.disabled && n.offsetParent !== null; });
  }
  document.addEventListener("keydown", function (e) {
    if (!EMBED) return;
    if (e.key === "Escape") {
      e.preventDefault();
      requestClose();
      return;
    }
    if (e.key !== "Tab") return;
    var f = focusables();
    if (!f.length) return;
    var first = f[0];
    var last = f[f.length - 1];
    var active = document.activeElement;
    var inside = $dialog.contains(active);
    if (e.shiftKey && (active === first || !inside)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !inside)) {
      e.preventDefault();
      first.focus();
    }
  });
  $("wb-close").addEventListener("click", requestClose);
  $("wb-backdrop").addEventListener("click", requestClose);

  // ---- start ----
  if (EMBED) {
    window.addEventListener("message", function (e) {
      if (e.source !== window.parent) return;
      var d = e.data;
      if (!d || typeof d !== "object" || d.source !== NS) return;
      if (parentOrigin === null) {
        // The host page's origin is fixed by the first open, and must be the one it announced.
        if (d.type !== "open" || (ANNOUNCED && e.origin !== ANNOUNCED)) return;
        parentOrigin = e.origin;
      } else if (e.origin !== parentOrigin) {
        return;
      }
      if (d.type === "open" && typeof d.token === "string" && d.token) {
        start(d.token, normalize(d.config), typeof d.integrationId === "string" ? d.integrationId : null);
      } else if (d.type === "reset") {
        reset();
      }
    });
    reset();
    post({ type: "ready" });
  } else if (MODE === "magic") {
    showLoading();
    api("POST", "/magic-link/" + encodeURIComponent(magicId) + "/session").then(
      function (r) { start(r.link_token, normalize(r.config), null); },
      function (err) { showError("This link can’t be used", err.message); }
    );
  }
})();
