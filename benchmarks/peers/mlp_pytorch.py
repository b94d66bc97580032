"""PyTorch eager on the CPU, one thread, as a peer of SymGrad's generated gradients.

MNIST-size MLP (SymGrad's case f): 784-128-10, ReLU, softmax cross-entropy (mean over the batch), batch 64, on the
data and parameters SymGradPeers exported (out/mnist.bin, MnistProblem.Create(): seeded, synthetic MNIST-shaped
images). One call = zero the gradients, forward, loss, backward. float64 (SymGrad's type) and float32 (for
reference: SymGrad has no float yet). The float64 loss and gradient are checked against SymGrad's.

Seed (case a): the notebook's 3-4-4-1 network and its loss (the sum of squared errors over the four samples), float64.

    python3 mlp_pytorch.py <out-dir> [<name>]      (writes <out-dir>/<name>.json, default pytorch)
PyTorch's Debian build calls whatever libblas.so.3 the dynamic linker finds; run.sh runs this twice, with
LD_LIBRARY_PATH pointing at OpenBLAS (serial) and at the reference BLAS. The BLAS actually mapped is recorded.
"""
import json
import os
import re
import sys

import numpy as np
import torch
import torch.nn.functional as F

import peertiming

torch.set_num_threads(1)
INPUTS, HIDDEN, CLASSES, BATCH = 784, 128, 10, 64


def load_mnist(out):
    raw = np.fromfile(os.path.join(out, "mnist.bin"), dtype="<f8")
    sizes = [("W1", (HIDDEN, INPUTS)), ("b1", (HIDDEN,)), ("W2", (CLASSES, HIDDEN)), ("b2", (CLASSES,)),
             ("X", (BATCH, INPUTS)), ("labels", (BATCH,))]
    arrays, at = {}, 0
    for name, shape in sizes:
        n = int(np.prod(shape))
        arrays[name] = raw[at:at + n].reshape(shape)
        at += n
    assert at == raw.size, (at, raw.size)
    grad = np.fromfile(os.path.join(out, "mnist_grad.bin"), dtype="<f8")
    return arrays, grad


def mnist_case(arrays, dtype):
    params = [torch.tensor(arrays[k], dtype=dtype, requires_grad=True) for k in ("W1", "b1", "W2", "b2")]
    x = torch.tensor(arrays["X"], dtype=dtype)
    labels = torch.tensor(arrays["labels"].astype(np.int64))
    W1, b1, W2, b2 = params

    def call():
        for p in params:
            p.grad = None
        h = torch.relu(x @ W1.T + b1)
        logits = h @ W2.T + b2
        loss = F.cross_entropy(logits, labels)
        loss.backward()
        return loss

    return params, call


def seed_case():
    f64 = torch.float64
    W1 = torch.tensor([[-0.7731, 0.1601, 0.4321], [-0.0346, -0.2008, 0.3647],
                       [-0.7577, 0.4841, -0.0354], [0.1601, -0.2008, 0.4841]], dtype=f64, requires_grad=True)
    b1 = torch.tensor([-0.0132, 0.7161, -0.4399, 0.5371], dtype=f64, requires_grad=True)
    W2 = torch.tensor([[-0.4812, -0.3530, -0.4004, -0.0734], [0.7681, -0.3188, 0.5793, 0.9179],
                       [0.1169, -0.2848, -0.4631, 0.1716], [0.8809, 0.6788, 0.2416, 0.3609]], dtype=f64, requires_grad=True)
    b2 = torch.tensor([0.1427, -0.7043, -0.8546, 0.4936], dtype=f64, requires_grad=True)
    W_out = torch.tensor([[-0.2537, -0.5915, -0.0293, -0.3593]], dtype=f64, requires_grad=True)
    b_out = torch.tensor([0.3446], dtype=f64, requires_grad=True)
    X = torch.tensor([[2.5, 3.0, -2.5], [4.0, -1.0, 0.5], [0.5, 1.5, 1.0], [3.0, 2.0, -2.0]], dtype=f64)
    y_true = torch.tensor([1.0, -1.0, 1.0, 1.0], dtype=f64)
    params = [W1, b1, W2, b2, W_out, b_out]

    def call():
        for p in params:
            p.grad = None
        h1 = torch.relu(X @ W1.T + b1)
        h2 = torch.relu(h1 @ W2.T + b2)
        y_pred = (h2 @ W_out.T + b_out).squeeze(1)
        loss = ((y_pred - y_true) ** 2).sum()
        loss.backward()
        return loss

    return params, call


def mapped_blas():
    """The BLAS/LAPACK shared objects this process has mapped (after the first matrix product)."""
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1] for line in f if re.search(r"blas|lapack", line.split()[-1])}
    return sorted(libs)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "out"
    name_out = sys.argv[2] if len(sys.argv) > 2 else "pytorch"
    seconds = peertiming.seconds_from_env()
    with open(os.path.join(out, "symgrad.json")) as f:
        symgrad = json.load(f)
    arrays, symgrad_grad = load_mnist(out)
    rows = []
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), LD_LIBRARY_PATH={os.environ.get('LD_LIBRARY_PATH', '')}")

    for dtype, name in ((torch.float64, "float64"), (torch.float32, "float32")):
        params, call = mnist_case(arrays, dtype)
        loss = call().item()
        grad = torch.cat([p.grad.reshape(-1) for p in params]).double().numpy()
        rel = abs(loss - symgrad["mnist"]["loss"]) / abs(symgrad["mnist"]["loss"])
        worst = float(np.max(np.abs(grad - symgrad_grad)))
        scale = float(np.max(np.abs(symgrad_grad)))
        tol = 1e-12 if dtype == torch.float64 else 1e-5
        ok = rel <= tol and worst <= tol * scale
        print(f"mnist {name}: PyTorch loss {loss!r}, SymGrad {symgrad['mnist']['loss']!r} (rel diff {rel:.2g}); "
              f"gradient max |diff| {worst:.2g} (largest |g| {scale:.2g})  {'OK' if ok else 'MISMATCH'}")
        t = peertiming.measure(call, seconds)
        print(f"  forward + loss + backward: {t['median_ns'] / 1e3:.1f} us/call (median of {t['blocks']} blocks)")
        if dtype == torch.float64:
            print(f"  BLAS mapped: {', '.join(mapped_blas())}")
        rows.append({"case": "mnist", "dtype": name, "peer": f"PyTorch eager, CPU, 1 thread, {name}", "loss": loss,
                     "loss_rel_diff": rel, "grad_max_abs_diff": worst, "ok": ok, **t})

    params, call = seed_case()
    loss = call().item()
    names = ["W1", "b1", "W2", "b2", "W_out", "b_out"]
    worst = max(float(np.max(np.abs(p.grad.numpy().reshape(-1) - np.array(symgrad["seed"]["sse_grad"][n]).reshape(-1))))
                for p, n in zip(params, names))
    ok = abs(loss - symgrad["seed"]["loss"]) <= 1e-15 * abs(loss) and worst <= 1e-14
    print(f"seed float64: PyTorch loss {loss!r}, SymGrad {symgrad['seed']['loss']!r}; gradient max |diff| {worst:.2g}  "
          f"{'OK' if ok else 'MISMATCH'}")
    t = peertiming.measure(call, seconds)
    print(f"  forward + loss + backward: {t['median_ns'] / 1e3:.1f} us/call (median of {t['blocks']} blocks)")
    rows.append({"case": "seed", "dtype": "float64", "peer": "PyTorch eager, CPU, 1 thread, float64", "loss": loss,
                 "grad_max_abs_diff": worst, "ok": ok, **t})

    result = {"torch": torch.__version__, "blas": mapped_blas(), "threads": torch.get_num_threads(),
              "interop_threads": torch.get_num_interop_threads(), "rows": rows}
    with open(os.path.join(out, name_out + ".json"), "w") as f:
        json.dump(result, f, indent=2)
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
