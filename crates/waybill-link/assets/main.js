/*
 * Waybill Link: the script a host page embeds to let its customers connect their systems.
 * It defines window.Trackstar (and window["Trackstar" + buttonId] for extra buttons) with
 * init(config), open({integrationId}), close() and state.isLoaded, and shows the modal in an
 * iframe served by the same Waybill that served this file. Messages are only accepted from
 * that iframe and that origin; the link token is only posted to that origin.
 */
(function () {
  "use strict";
  // Loaded twice (two script tags): the first copy already owns every instance.
  if (window.Trackstar && window.Trackstar.__waybill) return;
  var NS = "waybill-link";
  var script = document.currentScript;
  var src = script && script.src ? script.src : "";
  var BASE = src.replace(/\/link\/main\.js(?:[?#].*)?$/, "");
  var ORIGIN = "";
  try {
    ORIGIN = new URL(BASE).origin;
  } catch (e) {
    ORIGIN = "";
  }
  var instances = [];

  function warn(msg, err) {
    if (window.console) window.console.error("Trackstar: " + msg, err === undefined ? "" : err);
  }

  function strings(v) {
    if (!Array.isArray(v)) return [];
    var out = [];
    for (var i = 0; i < v.length; i++) if (typeof v[i] === "string" && v[i]) out.push(v[i]);
    return out;
  }

  function whenBody(fn) {
    if (document.body) fn();
    else document.addEventListener("DOMContentLoaded", fn, { once: true });
  }

  function Instance(id) {
    var self = this;
    this.id = id;
    this.state = { isLoaded: false };
    this.config = null;
    this.frame = null;
    this.overlay = null;
    this.isOpen = false;
    this.queued = null;
    this.returnFocus = null;
    // Bound, so `const { open } = window.Trackstar` works as well.
    this.init = function (config) { return self._init(config); };
    this.open = function (opts) { return self._open(opts || {}); };
    this.close = function () { return self._close(true); };
  }

  Instance.prototype._init = function (config) {
    if (!config || typeof config !== "object") throw new TypeError("Trackstar.init(config) needs a config object.");
    if (config.buttonId !== undefined && config.buttonId !== null && String(config.buttonId) !== this.id) {
      return instanceFor(String(config.buttonId))._init(config);
    }
    if (typeof config.getLinkToken !== "function") warn("config.getLinkToken must be a function returning the link token.");
    if (typeof config.onSuccess !== "function") warn("config.onSuccess must be a function.");
    this.config = config;
    if (!ORIGIN) {
      warn("cannot tell where main.js was loaded from; load it with a <script src> tag.");
      return;
    }
    if (!this.frame) this._mount();
    else if (this.state.isLoaded) this._loaded();
  };

  Instance.prototype._mount = function () {
    var self = this;
    var overlay = document.createElement("div");
    overlay.setAttribute("data-trackstar-modal", this.id || "default");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483000;display:none;background:transparent;";
    var frame = document.createElement("iframe");
    frame.src = BASE + "/link/modal?origin=" + encodeURIComponent(window.location.origin);
    frame.title = "Connect your account";
    frame.setAttribute("allowtransparency", "true");
    frame.style.cssText = "position:absolute;inset:0;width:100%;height:100%;border:0;background:transparent;color-scheme:normal;";
    overlay.appendChild(frame);
    this.overlay = overlay;
    this.frame = frame;
    whenBody(function () { document.body.appendChild(self.overlay); });
  };

  Instance.prototype._post = function (msg) {
    msg.source = NS;
    if (this.frame && this.frame.contentWindow) this.frame.contentWindow.postMessage(msg, ORIGIN);
  };

  Instance.prototype._loaded = function () {
    this.state.isLoaded = true;
    var cfg = this.config;
    if (cfg && typeof cfg.onLoad === "function") {
      try { cfg.onLoad(); } catch (e) { warn("onLoad threw", e); }
    }
    if (this.queued) {
      var q = this.queued;
      this.queued = null;
      this._show(q);
    }
  };

  Instance.prototype._open = function (opts) {
    var self = this;
    var cfg = this.config;
    if (!cfg) {
      warn("call Trackstar.init(config) before open().");
      return Promise.resolve();
    }
    return Promise.resolve()
      .then(function () { return cfg.getLinkToken(); })
      .then(function (token) {
        if (typeof token !== "string" || !token) throw new Error("getLinkToken() did not return a link token string");
        var msg = {
          type: "open",
          token: token,
          integrationId: typeof opts.integrationId === "string" ? opts.integrationId : null,
          config: {
            integrationType: typeof cfg.integrationType === "string" ? cfg.integrationType : "wms",
            sandbox: cfg.sandbox === true,
            integrationAllowList: strings(cfg.integrationAllowList),
            integrationBlockList: strings(cfg.integrationBlockList),
            integrationsWithEndpoints: strings(cfg.integrationsWithEndpoints),
            disabledFunctions: strings(cfg.disabledFunctions),
            logo: typeof cfg.logo === "string" ? cfg.logo : null,
          },
        };
        if (self.state.isLoaded) self._show(msg);
        else self.queued = msg;
      })
      .catch(function (e) { warn("could not open the modal", e); });
  };

  Instance.prototype._show = function (msg) {
    this.returnFocus = document.activeElement;
    this.overlay.style.display = "block";
    this.isOpen = true;
    this._post(msg);
    try { this.frame.focus(); } catch (e) { /* focus is best effort */ }
  };

  Instance.prototype._close = function (notifyFrame) {
    this.queued = null;
    if (!this.isOpen) return;
    this.isOpen = false;
    this.overlay.style.display = "none";
    if (notifyFrame) this._post({ type: "reset" });
    var back = this.returnFocus;
    this.returnFocus = null;
    if (back && typeof back.focus === "function") {
      try { back.focus(); } catch (e) { /* element may be gone */ }
    }
    var cfg = this.config;
    if (cfg && typeof cfg.onClose === "function") {
      try { cfg.onClose(); } catch (e) { warn("onClose threw", e); }
    }
  };

  Instance.prototype._message = function (data) {
    var self = this;
    if (data.type === "ready") {
      this._loaded();
    } else if (data.type === "close") {
      this._close(false);
    } else if (data.type === "success") {
      var cfg = this.config;
      if (cfg && typeof cfg.onSuccess === "function" && typeof data.authCode === "string") {
        try {
          cfg.onSuccess(data.authCode, String(data.integrationName || ""), function () { self._close(true); });
        } catch (e) { warn("onSuccess threw", e); }
      }
    }
  };

  function instanceFor(id) {
    var name = "Trackstar" + id;
    var existing = window[name];
    if (existing && existing.__waybill) return existing.__waybill;
    var inst = new Instance(id);
    instances.push(inst);
    window[name] = publicApi(inst);
    return inst;
  }

  function publicApi(inst) {
    return { init: inst.init, open: inst.open, close: inst.close, state: inst.state, __waybill: inst };
  }

  window.addEventListener("message", function (e) {
    if (e.origin !== ORIGIN) return;
    var data = e.data;
    if (!data || typeof data !== "object" || data.source !== NS) return;
    for (var i = 0; i < instances.length; i++) {
      var inst = instances[i];
      if (inst.frame && inst.frame.contentWindow === e.source) {
        inst._message(data);
        return;
      }
    }
  });

  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    for (var i = 0; i < instances.length; i++) if (instances[i].isOpen) instances[i]._close(true);
  });

  var root = new Instance(null);
  instances.push(root);
  window.Trackstar = publicApi(root);
})();
