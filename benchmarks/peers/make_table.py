"""Joins the JSON files run.sh's steps wrote under <out-dir> into results.md (one table and the machine line).

    python3 make_table.py <out-dir> <results.md>
"""
import datetime
import json
import os
import platform
import sys


def load(out, name):
    path = os.path.join(out, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def fmt(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns:.0f} ns"


def ratio(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:.2f}"


def load1(r):
    return f"{r['loadavg_before'][0]:.2f}–{r['loadavg_after'][0]:.2f}"


def cpu():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    out, target = sys.argv[1], sys.argv[2]
    sg = load(out, "symgrad")
    mg = load(out, "micrograd")
    tb = load(out, "pytorch-openblas")
    tr = load(out, "pytorch-refblas")
    seed = load(out, "seed_pytorch")

    case_name = {"mnist": "MNIST-size MLP 784-128-10, ReLU, softmax CE, batch 64",
                 "seed": "seed 3-4-4-1, sum of squared errors over 4 samples"}
    lines = ["| case | peer | peer time per call | SymGrad time per call | peer ÷ SymGrad | checked (loss, gradient) | load (1 min) peer / SymGrad |",
             "|---|---|---:|---:|---:|---|---|"]

    def row(r, blas_label):
        s = sg[r["case"]]
        dtype = r.get("dtype", "float64")
        peer = r["peer"] + (f", {blas_label}" if blas_label else "")
        sym = fmt(s["median_ns"]) if dtype == "float64" else f"{fmt(s['median_ns'])} (float64: no float yet)"
        check = "OK" if r.get("ok", r.get("loss_ok") and r.get("grad_ok")) else "MISMATCH"
        if "loss_rel_diff" in r:
            check += f" (loss rel {r['loss_rel_diff']:.1g}, grad max {r['grad_max_abs_diff']:.1g})"
        else:
            check += f" (grad max {r['grad_max_abs_diff']:.1g})"
        lines.append(f"| {case_name[r['case']]} | {peer} | {fmt(r['median_ns'])} | {sym} | "
                     f"**{ratio(r['median_ns'] / s['median_ns'])}** | {check} | {load1(r)} / {load1(s)} |")

    for data, label in ((tb, "OpenBLAS 0.3.21 serial"), (tr, "reference BLAS (netlib 3.11)")):
        if data:
            for r in data["rows"]:
                if r["case"] == "mnist":
                    row(r, label)
    if tb:
        for r in tb["rows"]:
            if r["case"] == "seed":
                row(r, "")
    if mg:
        row(mg, "")

    torch_info = tb or tr
    stamp = datetime.datetime.fromtimestamp(os.path.getmtime(os.path.join(out, "symgrad.json")), datetime.timezone.utc)
    machine = (f"Run {stamp:%Y-%m-%d %H:%M} UTC. Machine: {cpu()}, {os.cpu_count()} cores shared with other builds; {platform.platform()}; "
               f"{sg['runtime']} (Release, SymGradPeers); Python {platform.python_version()} (Debian's /usr/bin/python3); "
               f"torch {torch_info['torch'] if torch_info else '?'} (Debian python3-torch), "
               f"torch.set_num_threads(1): {torch_info['threads'] if torch_info else '?'} intra-op, "
               f"{torch_info['interop_threads'] if torch_info else '?'} inter-op thread(s).")
    text = ["# Peers, side by side", "",
            "Written by `benchmarks/peers/run.sh` (do not edit by hand). Time per call is the median over blocks of "
            "calls (each block ≥ 10 ms, after a 1 s warm-up) of one forward + loss + backward, the same method in C# "
            "and Python; SymGrad's call is the generated `LossGradient`. Ratios > 1: the peer is slower.", "",
            *lines, "",
            machine, ""]
    if tb:
        text.append(f"BLAS mapped in the OpenBLAS run: {', '.join(tb['blas'])}.")
    if tr:
        text.append(f"BLAS mapped in the reference-BLAS run: {', '.join(tr['blas'])}.")
    text.append("")
    if seed:
        text += ["Seed notebook's PyTorch cell (`seed_pytorch.py`, full output in `seed_pytorch-output.txt`):", "",
                 f"- cell [6] as written (float32): loss `{seed['cell_loss']!r}` (notebook: `1.2240772247314453`), "
                 f"gradient tables {seed['cell_tables_agree']} entries equal to the notebook's four decimals;",
                 f"- the same cell in float64: `{seed['broadcast64']!r}`; the C# reproduction prints "
                 f"`{seed['csharp'].get('broadcast64', '?')}` (and `{seed['csharp'].get('broadcast32', '?')}` rounded to float32);",
                 f"- the corrected MSE `((y_pred.squeeze(1) - y_true) ** 2).mean()` in float64: `{seed['mse']!r}`, "
                 f"SymGrad `{seed['symgrad_mse']!r}`; its 53 gradients within {seed['mse_grad_max_abs_diff']:.1g} of SymGrad's;",
                 f"- mismatches: {len(seed['failures'])}{' (' + ', '.join(seed['failures']) + ')' if seed['failures'] else ''}.", ""]
    with open(target, "w", encoding="utf-8") as f:
        f.write("\n".join(text))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
