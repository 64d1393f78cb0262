'use strict';
// A progress line on stderr for long runs, only when stderr is a terminal: pipes, files and
// tests never see it. Redrawn at most ten times a second; error lines clear it first
// (helpers.err), and it is erased when the run ends.

const helpers = require('./helpers.js');

class Progress {
  /** `total`: bytes to read when known (a file), else null. */
  constructor(label, total, stream = process.stderr) {
    this.label = label;
    this.total = total;
    this.stream = stream;
    this.started = Date.now();
    this.drawnAt = 0;
    this.shown = false;
    helpers.setStatusLine(this);
  }

  /** Active only on a terminal; elsewhere every method does nothing. */
  static start(label, total, { disabled = false } = {}) {
    if (disabled || !process.stderr.isTTY) return null;
    return new Progress(label, total);
  }

  update(done, bytes) {
    const now = Date.now();
    if (now - this.drawnAt < 100) return;
    this.drawnAt = now;
    const rate = Math.round((done * 1000) / Math.max(1, now - this.started));
    let bar = '';
    if (this.total) {
      const fraction = Math.min(1, bytes / this.total);
      const width = 24;
      const filled = Math.round(fraction * width);
      bar = ` [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}%`;
    }
    this.stream.write(`\r\x1b[K${this.label}: ${done.toLocaleString('en')} orders${bar}  ${rate.toLocaleString('en')}/s`);
    this.shown = true;
  }

  clear() {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
    this.drawnAt = 0;
  }

  end() {
    this.clear();
    helpers.setStatusLine(null);
  }
}

module.exports = { Progress };
