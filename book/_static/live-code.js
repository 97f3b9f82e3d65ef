/*
 * "Live Code" for the book (loaded by book/_ext/live_code.py in place of sphinx-thebe.js).
 *
 * The theme's Live Code button calls initThebe(). This file loads the Thebe bundle served by
 * the build (_static/thebe/index.js), turns the page's code cells into Thebe cells, and
 * connects to the kernel server of the page's text/x-thebe-config block (Binder by default,
 * or a Jupyter server chosen at build time). Nothing is requested from another host except
 * that server: Thebe's widget manager fetches require.js from a CDN, so fetch() answers that
 * one address with the copy in _static/widgets; MathJax 2 is switched off in the config.
 *
 * Every state is written on the button (data-live-code="loading|connecting|ready|failed"),
 * and a failure says what failed and offers the JupyterLab route (the Binder launch button).
 */
(function () {
  "use strict";

  var root = document.documentElement.dataset.content_root || "./";
  var REQUIRE_CDN = "https://cdnjs.cloudflare.com/ajax/libs/require.js/";
  var WAIT_NOTICE_MS = 60000;
  var state = { started: false };

  function launchButton() {
    return document.querySelector(".thebe-launch-button");
  }

  function say(kind, text) {
    var button = launchButton();
    if (!button) return;
    button.dataset.liveCode = kind;
    button.textContent = text;
    button.title = text;
  }

  function binderLink() {
    var link = document.querySelector('a[href*="mybinder.org"], a[href*="/v2/gh/"]');
    return link ? link.href : null;
  }

  function fail(reason) {
    console.error("[live-code] " + reason);
    say("failed", "Live Code failed: " + reason);
    var button = launchButton();
    var href = binderLink();
    if (button && href && !document.querySelector(".live-code-fallback")) {
      var note = document.createElement("p");
      note.className = "live-code-fallback";
      note.innerHTML = 'Run this chapter in JupyterLab instead: <a href="' + href +
        '">open it on Binder</a> (or locally with <code>make notebooks</code> and ' +
        "<code>.venv/bin/jupyter lab</code>).";
      button.insertAdjacentElement("afterend", note);
    }
  }

  function pageConfig() {
    var block = document.querySelector('script[type="text/x-thebe-config"]');
    if (!block) throw new Error("this page has no Live Code configuration");
    return JSON.parse(block.textContent);
  }

  function serveRequireLocally() {
    if (window.__liveCodeFetch) return;
    window.__liveCodeFetch = true;
    var original = window.fetch.bind(window);
    window.fetch = function (input, init) {
      var url = typeof input === "string" ? input : (input && input.url) || "";
      if (url.indexOf(REQUIRE_CDN) === 0) {
        return original(root + "_static/widgets/require.js", init);
      }
      return original(input, init);
    };
  }

  // Code cells become Thebe cells: the source is the cell's <pre>, and every cell gets an
  // output element (Thebe pairs sources and outputs by position).
  function markCells() {
    document.querySelectorAll("div.cell").forEach(function (cell) {
      var source = cell.querySelector(".cell_input pre");
      if (!source) return;
      source.setAttribute("data-executable", "true");
      source.setAttribute("data-language", "python");
      var output = cell.querySelector(".cell_output");
      if (!output) {
        output = document.createElement("div");
        output.className = "cell_output";
        cell.appendChild(output);
      }
      output.setAttribute("data-output", "");
      cell.querySelectorAll("button.copybtn").forEach(function (b) { b.remove(); });
    });
  }

  function whereTo(config) {
    return config.useBinder ? "Binder (mybinder.org; the first start can take minutes)"
                            : config.serverSettings.baseUrl;
  }

  function start() {
    var config;
    try {
      config = pageConfig();
    } catch (err) {
      fail(err.message);
      return;
    }
    serveRequireLocally();
    markCells();
    var notice = setTimeout(function () {
      if (launchButton() && launchButton().dataset.liveCode === "connecting") {
        say("connecting", "Still waiting for a kernel from " + whereTo(config) +
            " … (check that the server runs and allows this page's origin)");
      }
    }, WAIT_NOTICE_MS);
    window.thebe.on("status", function (_name, data) {
      var status = data.status;
      if (status === "error" || status === "server-error" || status === "session-error") {
        clearTimeout(notice);
        fail((data.message || status) + " (" + whereTo(config) + ")");
      } else if (status === "ready" && data.subject === "session") {
        clearTimeout(notice);
        say("ready", "Live Code: kernel ready — run the cells from the top (▶ run buttons)");
      } else if (status === "closed" || status === "shutdown") {
        say("failed", "Live Code: the kernel connection closed (" + status + ")");
      } else if (launchButton() && launchButton().dataset.liveCode !== "ready") {
        say("connecting", "Live Code: " + (data.message || status));
      }
    });
    say("connecting", "Live Code: connecting to " + whereTo(config) + " …");
    Promise.resolve()
      .then(function () { return window.thebe.bootstrap(config); })
      .catch(function (err) { clearTimeout(notice); fail(String((err && err.message) || err)); });
  }

  window.initThebe = function () {
    if (state.started) return;
    state.started = true;
    if (window.thebe && window.thebe.bootstrap) {
      start();
      return;
    }
    say("loading", "Live Code: loading Thebe from this site …");
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = root + "_static/thebe/thebe.css";
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = root + "_static/thebe/index.js";
    script.onload = start;
    script.onerror = function () { fail("could not load " + script.src); };
    document.head.appendChild(script);
  };
})();
