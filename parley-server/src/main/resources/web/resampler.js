// Streaming windowed-sinc resampler shared by the capture and playback worklets.
//
// Band-limited interpolation: every output sample is the input convolved with a Blackman-windowed sinc low-pass
// whose cut-off sits a little below the lower of the two Nyquist frequencies, so downsampling (48 kHz -> 24 kHz)
// does not alias and upsampling (24 kHz -> 48 kHz) does not leave images. The kernel is tabulated (oversampled,
// linearly interpolated) so the audio thread never calls Math.sin. Output is continuous across calls however the
// input is chunked; the delay is half the kernel (under 0.5 ms).

export class Resampler {
  /**
   * @param {number} inRate input sample rate (Hz)
   * @param {number} outRate output sample rate (Hz)
   * @param {number} [zeros=8] zero crossings of the sinc on each side (quality vs. cost)
   */
  constructor(inRate, outRate, zeros = 8) {
    this.inRate = inRate;
    this.outRate = outRate;
    this.step = inRate / outRate; // input samples per output sample
    this.bypass = inRate === outRate;
    // cut-off in cycles per input sample: 92 % of the lower Nyquist
    const fc = 0.5 * Math.min(1, outRate / inRate) * 0.92;
    this.scale = 2 * fc;
    this.half = Math.ceil(zeros / this.scale); // kernel half-width in input samples
    this.oversample = 64;
    const n = this.half * this.oversample + 2;
    this.table = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const d = i / this.oversample; // distance in input samples
      if (d >= this.half) { this.table[i] = 0; continue; }
      const x = this.scale * d;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const w = 0.42 + 0.5 * Math.cos(Math.PI * d / this.half) + 0.08 * Math.cos(2 * Math.PI * d / this.half);
      this.table[i] = this.scale * sinc * w;
    }
    this.reset();
  }

  /** Forgets all history (as after a flush); the next input starts a fresh signal. */
  reset() {
    this.buf = new Float32Array(4096);
    this.len = this.half; // history primed with silence so the first output sits on input sample 0
    this.buf.fill(0, 0, this.len);
    this.t = this.half; // position of the next output sample, in input samples from buf[0]
    this.out = new Float32Array(1024);
  }

  kernel(d) {
    const p = Math.abs(d) * this.oversample;
    const i = p | 0;
    const f = p - i;
    return this.table[i] + (this.table[i + 1] - this.table[i]) * f;
  }

  /**
   * Resamples the next piece of input.
   * @param {Float32Array} input
   * @returns {Float32Array} the output it completes (a view, valid until the next call)
   */
  process(input) {
    if (this.bypass) return input;
    // append input
    if (this.len + input.length > this.buf.length) {
      const bigger = new Float32Array(Math.max(this.buf.length * 2, this.len + input.length));
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
    }
    this.buf.set(input, this.len);
    this.len += input.length;

    const maxOut = Math.ceil((this.len - this.t) / this.step) + 2;
    if (this.out.length < maxOut) this.out = new Float32Array(maxOut * 2);
    const buf = this.buf;
    const half = this.half;
    let n = 0;
    let t = this.t;
    while (Math.floor(t) + half < this.len) {
      const c = Math.floor(t);
      let acc = 0;
      let wsum = 0;
      for (let k = c - half + 1; k <= c + half; k++) {
        const w = this.kernel(t - k);
        acc += buf[k] * w;
        wsum += w;
      }
      this.out[n++] = wsum !== 0 ? acc / wsum : 0;
      t += this.step;
    }
    // keep only the history the next output needs
    const drop = Math.floor(t) - half + 1;
    if (drop > 0) {
      buf.copyWithin(0, drop, this.len);
      this.len -= drop;
      t -= drop;
    }
    this.t = t;
    return this.out.subarray(0, n);
  }

  /** Pushes the kernel's look-ahead out with silence, for the end of a signal. */
  flush() {
    if (this.bypass) return new Float32Array(0);
    return this.process(new Float32Array(this.half + 1));
  }
}
