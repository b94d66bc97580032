namespace SeedNotebook.Pictures;

/// <summary>
/// The animation page: plain HTML + inline JS, no external resource of any kind, so it opens from a file:// URL
/// offline. <see cref="AnimationPage"/> replaces <c>__TRAINING_JSON__</c> with the training run. The JS forward
/// pass mirrors <see cref="Net3441.Activations"/> (same 41-number layout).
/// </summary>
internal static class AnimationTemplate
{
    public const string Placeholder = "__TRAINING_JSON__";

    public const string Html = """
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>SymGrad: the seed notebook's network, training</title>
<style>
  body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 16px; color: #222; background: #fff; }
  h1 { font-size: 18px; margin: 0 0 8px 0; }
  .row { display: flex; gap: 16px; flex-wrap: wrap; align-items: flex-start; }
  .panel { border: 1px solid #ddd; border-radius: 6px; padding: 8px; }
  .controls { display: grid; grid-template-columns: 110px 320px auto; gap: 6px 10px; align-items: center; margin: 10px 0; }
  .controls output { font-family: "DejaVu Sans Mono", monospace; min-width: 11em; }
  button { width: 90px; }
  table { border-collapse: collapse; font-size: 13px; }
  td, th { padding: 2px 8px; text-align: right; }
  tr.current { background: #eef5ff; }
  .legend span { display: inline-block; margin-right: 14px; font-size: 12px; }
  .swatch { display: inline-block; width: 14px; height: 10px; margin-right: 4px; vertical-align: middle; }
</style>
</head>
<body>
<h1>SymGrad — the notebook's 3-4-4-1 network while SGD trains it</h1>
<div class="controls">
  <button id="play" type="button">&#9654; Play</button>
  <input id="frame" type="range" min="0" max="0" step="1" value="0" aria-label="frame">
  <output id="frameText"></output>
  <label for="intensity">Intensity</label>
  <input id="intensity" type="range" min="0.1" max="10" step="0.1" value="1">
  <output id="intensityText"></output>
  <label for="sample">Input sample</label>
  <select id="sample"></select>
  <output id="inputText"></output>
</div>
<div class="row">
  <div class="panel">
    <svg id="net" width="480" height="360" viewBox="0 0 480 360" role="img" aria-label="network diagram"></svg>
    <div class="legend">
      <span><i class="swatch" style="background:#90ee90"></i>value &gt; 0</span>
      <span><i class="swatch" style="background:#f08080"></i>value &le; 0</span>
      <span><i class="swatch" style="background:#1f77b4"></i>w &gt; 0</span>
      <span><i class="swatch" style="background:#ff7f0e"></i>w &lt; 0 (width &prop; |w|)</span>
    </div>
  </div>
  <div class="panel">
    <canvas id="loss" width="460" height="300" aria-label="loss curve"></canvas>
    <table id="preds"><thead><tr><th>sample</th><th>input</th><th>target</th><th>prediction</th></tr></thead><tbody></tbody></table>
  </div>
</div>
<script>
"use strict";
const run = __TRAINING_JSON__;
const LAYERS = [3, 4, 4, 1];
const NAMES = ["input", "hidden 1", "hidden 2", "output"];
const POS = "#90ee90", NONPOS = "#f08080", WPOS = "#1f77b4", WNEG = "#ff7f0e";
const SVGNS = "http://www.w3.org/2000/svg";
const $ = id => document.getElementById(id);
const frameInput = $("frame"), intensityInput = $("intensity"), sampleInput = $("sample"), playButton = $("play");

// Same layout as Net3441: W1 (4x3 row-major) | b1 | W2 (4x4) | b2 | W_out | b_out.
function forward(p, x) {
  const h1 = [], h2 = [];
  for (let i = 0; i < 4; i++) {
    let z = p[12 + i];
    for (let j = 0; j < 3; j++) z += p[3 * i + j] * x[j];
    h1.push(Math.max(0, z));
  }
  for (let i = 0; i < 4; i++) {
    let z = p[32 + i];
    for (let j = 0; j < 4; j++) z += p[16 + 4 * i + j] * h1[j];
    h2.push(Math.max(0, z));
  }
  let y = p[40];
  for (let j = 0; j < 4; j++) y += p[36 + j] * h2[j];
  return [x.slice(), h1, h2, [y]];
}
function edgeWeight(p, layer, from, to) {
  if (layer === 0) return p[3 * to + from];
  if (layer === 1) return p[16 + 4 * to + from];
  return p[36 + from];
}
// One width scale for the whole run, so thickening edges are visible as training moves the weights.
let maxAbsWeight = 1e-12;
for (const p of run.parameters)
  for (let l = 0; l < 3; l++)
    for (let a = 0; a < LAYERS[l]; a++)
      for (let b = 0; b < LAYERS[l + 1]; b++) maxAbsWeight = Math.max(maxAbsWeight, Math.abs(edgeWeight(p, l, a, b)));

function nodeCentre(layer, index) {
  return [50 + layer * 127, 170 + (index - (LAYERS[layer] - 1) / 2) * 72];
}
function el(name, attrs, text) {
  const e = document.createElementNS(SVGNS, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}
function currentInput() {
  const k = Number(intensityInput.value);
  return run.inputs[Number(sampleInput.value)].map(v => v * k);
}
function drawNetwork(p, x) {
  const svg = $("net");
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  const values = forward(p, x);
  for (let l = 0; l < 3; l++)
    for (let a = 0; a < LAYERS[l]; a++)
      for (let b = 0; b < LAYERS[l + 1]; b++) {
        const w = edgeWeight(p, l, a, b), [x1, y1] = nodeCentre(l, a), [x2, y2] = nodeCentre(l + 1, b);
        svg.appendChild(el("line", { x1, y1, x2, y2, stroke: w > 0 ? WPOS : WNEG, "stroke-opacity": 0.75,
          "stroke-linecap": "round", "stroke-width": Math.max(0.4, 7 * Math.abs(w) / maxAbsWeight) }));
      }
  for (let l = 0; l < 4; l++) {
    svg.appendChild(el("text", { x: nodeCentre(l, 0)[0], y: 345, "text-anchor": "middle", "font-size": 12, fill: "#444" }, NAMES[l]));
    for (let i = 0; i < LAYERS[l]; i++) {
      const v = values[l][i], [cx, cy] = nodeCentre(l, i);
      svg.appendChild(el("circle", { cx, cy, r: 23, fill: v > 0 ? POS : NONPOS, stroke: "#333", "stroke-width": 1.5,
        "data-layer": l, "data-index": i }));
      svg.appendChild(el("text", { x: cx, y: cy, "text-anchor": "middle", "dominant-baseline": "central",
        "font-size": 11, "font-weight": "bold" }, v.toFixed(2)));
    }
  }
}
function drawLoss(frame) {
  const c = $("loss"), g = c.getContext("2d"), W = c.width, H = c.height;
  const L = 62, R = 12, T = 28, B = 38;
  g.clearRect(0, 0, W, H);
  g.fillStyle = "#fff"; g.fillRect(0, 0, W, H);
  const logs = run.losses.map(v => Math.log10(v));
  const lo = Math.floor(Math.min(...logs)), hi = Math.ceil(Math.max(...logs));
  const lastStep = run.steps[run.steps.length - 1] || 1;
  const px = s => L + (W - L - R) * s / lastStep;
  const py = v => T + (H - T - B) * (hi - v) / Math.max(hi - lo, 1);
  g.strokeStyle = "#ccc"; g.fillStyle = "#444"; g.font = "11px sans-serif"; g.lineWidth = 1;
  g.textAlign = "right"; g.textBaseline = "middle";
  for (let e = lo; e <= hi; e++) {
    g.beginPath(); g.moveTo(L, py(e)); g.lineTo(W - R, py(e)); g.stroke();
    g.fillText(e >= 0 && e <= 3 ? String(10 ** e) : "1e" + e, L - 6, py(e));
  }
  g.textAlign = "center"; g.textBaseline = "top";
  g.fillText("SGD step", (L + W - R) / 2, H - 16);
  g.fillText("0", px(0), H - B + 4); g.fillText(String(lastStep), px(lastStep), H - B + 4);
  g.font = "bold 13px sans-serif";
  g.fillText("loss = \u03a3 (y_pred \u2212 y)\u00b2, log scale", W / 2, 6);
  const path = (upto, colour, width) => {
    g.strokeStyle = colour; g.lineWidth = width; g.beginPath();
    for (let i = 0; i <= upto; i++) {
      const X = px(run.steps[i]), Y = py(logs[i]);
      if (i === 0) g.moveTo(X, Y); else g.lineTo(X, Y);
    }
    g.stroke();
  };
  path(run.steps.length - 1, "#e3e3e3", 2);  // the whole run, faint
  path(frame, "#1f77b4", 2.5);               // the loss so far
  g.fillStyle = "#d62728";
  g.beginPath(); g.arc(px(run.steps[frame]), py(logs[frame]), 4.5, 0, 2 * Math.PI); g.fill();
}
function drawPredictions(p) {
  const k = Number(intensityInput.value), body = $("preds").tBodies[0];
  body.textContent = "";
  run.inputs.forEach((x0, s) => {
    const x = x0.map(v => v * k), tr = document.createElement("tr");
    if (s === Number(sampleInput.value)) tr.className = "current";
    for (const t of [String(s + 1), "(" + x.map(v => v.toFixed(2)).join(", ") + ")", run.targets[s].toFixed(2),
                     forward(p, x)[3][0].toFixed(4)]) {
      const td = document.createElement("td"); td.textContent = t; tr.appendChild(td);
    }
    body.appendChild(tr);
  });
}
function render() {
  const f = Number(frameInput.value), p = run.parameters[f], x = currentInput();
  drawNetwork(p, x);
  drawLoss(f);
  drawPredictions(p);
  $("frameText").textContent = "step " + run.steps[f] + " / " + run.steps[run.steps.length - 1] +
    "   loss " + run.losses[f].toExponential(3);
  $("intensityText").textContent = "\u00d7 " + Number(intensityInput.value).toFixed(1);
  $("inputText").textContent = "x = (" + x.map(v => v.toFixed(2)).join(", ") + ")";
}

let timer = null;
function setPlaying(on) {
  if (on && Number(frameInput.value) >= run.steps.length - 1) frameInput.value = 0;
  if (timer !== null) { clearInterval(timer); timer = null; }
  if (on) timer = setInterval(() => {
    const next = Number(frameInput.value) + 1;
    if (next >= run.steps.length) { setPlaying(false); return; }
    frameInput.value = next; render();
  }, 40);
  playButton.innerHTML = on ? "&#10074;&#10074; Pause" : "&#9654; Play";
}
run.inputs.forEach((x, s) => sampleInput.appendChild(new Option("sample " + (s + 1), String(s))));
frameInput.max = String(run.steps.length - 1);
playButton.addEventListener("click", () => setPlaying(timer === null));
frameInput.addEventListener("input", () => { setPlaying(false); render(); });
intensityInput.addEventListener("input", render);
sampleInput.addEventListener("change", render);
render();
window.symgradReady = true;
</script>
</body>
</html>
""";
}
