/* The address bar following the page's state, at most once per WRITE_INTERVAL_MS.
 *
 * A reader's click can change the state four times (the open popup closes, the next opens, the
 * map pans it into view, the pan ends); writing the address each time costs the browser a
 * session-history update per write (measured in headless Chromium: about 30 ms of the browser
 * process's CPU each), and Safari refuses more than 100 history.replaceState calls in a short
 * window, after which the address stops following the map. So the first change is written at
 * once and the latest of those that follow within the interval once it has passed: the address
 * is never more than WRITE_INTERVAL_MS behind the page. Loadable by Node: the write and the timer
 * come in as arguments. */
(function (root) {
  "use strict";

  root.AtlasParts = root.AtlasParts || {};
  var P = root.AtlasParts;

  var WRITE_INTERVAL_MS = 350; // at most 30 writes in 10 s

  /**
   * options: {write(hash): puts it in the address, current(): the hash the address holds now,
   *           setTimeout, clearTimeout (the window's by default), interval (ms)}
   */
  function AddressWriter(options) {
    this._write = options.write;
    this._current = options.current;
    this._setTimeout = options.setTimeout || root.setTimeout.bind(root);
    this._clearTimeout = options.clearTimeout || root.clearTimeout.bind(root);
    this._interval = options.interval === undefined ? WRITE_INTERVAL_MS : options.interval;
    this._timer = null;
    this._next = null; // the hash to write when the interval has passed, if any
  }

  /** Ask for `hash` in the address: now if nothing was written within the interval, else when it has passed. */
  AddressWriter.prototype.request = function (hash) {
    if (this._timer !== null) {
      this._next = hash;
      return;
    }
    this._next = null;
    if (this._current() !== hash) {
      this._write(hash);
      this._wait();
    }
  };

  /** Write what is waiting now (the page is being left). */
  AddressWriter.prototype.flush = function () {
    var next = this._next;
    this._stop();
    if (next !== null && this._current() !== next) this._write(next);
  };

  /** Drop what is waiting (the reader changed the address: theirs wins). */
  AddressWriter.prototype.cancel = function () {
    this._stop();
  };

  /** Whether a hash waits for the interval to pass. */
  AddressWriter.prototype.pending = function () {
    return this._next !== null;
  };

  AddressWriter.prototype._wait = function () {
    var self = this;
    this._timer = this._setTimeout(function () {
      self._timer = null;
      var next = self._next;
      self._next = null;
      if (next !== null && self._current() !== next) {
        self._write(next);
        self._wait();
      }
    }, this._interval);
  };

  AddressWriter.prototype._stop = function () {
    if (this._timer !== null) this._clearTimeout(this._timer);
    this._timer = null;
    this._next = null;
  };

  var api = { AddressWriter: AddressWriter, WRITE_INTERVAL_MS: WRITE_INTERVAL_MS };
  P.address = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
