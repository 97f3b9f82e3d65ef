// Point require.js (and with it the widget manager's icon fonts) at this folder,
// so nothing is fetched from a CDN. Loaded right after require.js.
(function () {
  var s = document.currentScript.src;
  require.config({ baseUrl: s.substring(0, s.lastIndexOf("/") + 1) });
})();
