/* careleaf: a stand-in ResizeObserver for browsers without one (before 2020), which Material
   would otherwise fetch from unpkg.com (README: Privacy, accessibility and weight). */
(function () {
  "use strict";
  if (typeof window.ResizeObserver !== "undefined") return;

  function entry(target) {
    var width = target.clientWidth, height = target.clientHeight;
    var rect = { x: 0, y: 0, top: 0, left: 0, width: width, height: height, right: width, bottom: height };
    var box = [{ inlineSize: target.offsetWidth, blockSize: target.offsetHeight }];
    return { target: target, contentRect: rect, borderBoxSize: box, contentBoxSize: box };
  }

  function ResizeObserver(callback) {
    var self = this;
    this.targets = [];
    this.callback = callback;
    this.onResize = function () {
      if (self.targets.length) self.callback(self.targets.map(entry), self);
    };
  }
  ResizeObserver.prototype.observe = function (target) {
    if (this.targets.indexOf(target) >= 0) return;
    if (!this.targets.length) window.addEventListener("resize", this.onResize);
    this.targets.push(target);
    var self = this;
    window.requestAnimationFrame(function () {
      if (self.targets.indexOf(target) >= 0) self.callback([entry(target)], self);
    });
  };
  ResizeObserver.prototype.unobserve = function (target) {
    this.targets = this.targets.filter(function (t) { return t !== target; });
    if (!this.targets.length) window.removeEventListener("resize", this.onResize);
  };
  ResizeObserver.prototype.disconnect = function () {
    this.targets = [];
    window.removeEventListener("resize", this.onResize);
  };
  window.ResizeObserver = ResizeObserver;
})();
