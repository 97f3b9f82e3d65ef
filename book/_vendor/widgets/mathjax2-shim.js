// @jupyter-widgets/controls typesets labels through the MathJax 2 API
// (MathJax.Hub.Queue); Sphinx loads MathJax 3. Map the one call it makes onto
// MathJax 3's typesetPromise. Must load with `defer`, after MathJax.
(function () {
  var mj = window.MathJax;
  if (mj && !mj.Hub) {
    mj.Hub = {
      Queue: function (job) {
        if (mj.typesetPromise && job && job[2]) { mj.typesetPromise([job[2]]); }
      }
    };
  }
})();
