"""The seed notebook's PyTorch cell (cell [6]) run in a real PyTorch, and checked.

1. The cell as the notebook has it (float32, torch's default; the same weights, inputs, targets and prints). It must
   print the notebook's loss 1.2240772247314453 and its gradient tables (compared to four decimals, as printed).
2. The same cell in float64: the loss must be the C# reproduction's float64 broadcast loss (examples/SeedNotebook,
   section 2: mean of the 16 squares of the (4,1) - (4,) broadcast), which confirms the broadcasting bug.
3. The corrected MSE, ((y_pred.squeeze(1) - y_true) ** 2).mean(), in float64 with all its gradients (X included): it
   must match SymGrad's generated gradient (examples/SeedNotebook's SeedNet.LossGradient over 4, in out/symgrad.json).

    python3 seed_pytorch.py <out-dir> [<SeedNotebook output>]
The second argument is the text `dotnet run --project examples/SeedNotebook` printed; run.sh saves it. Prints OK or
MISMATCH for every check and exits with the number of mismatches.
"""
import json
import os
import re
import sys

import torch

torch.set_num_threads(1)
failures = []


def check(name, ok, detail=""):
    print(f"[{'OK' if ok else 'MISMATCH'}] {name}{': ' + detail if detail else ''}")
    if not ok:
        failures.append(name)


# ---- 1. cell [6], verbatim but for the comments (the notebook's own code, float32) ----
def notebook_cell(dtype=None, verbose=True):
    kw = {} if dtype is None else {"dtype": dtype}
    # 1. Definir los pesos y sesgos como tensores con requires_grad=True
    W1 = torch.tensor([[-0.7731, 0.1601, 0.4321],
                       [-0.0346, -0.2008, 0.3647],
                       [-0.7577, 0.4841, -0.0354],
                       [0.1601, -0.2008, 0.4841]], requires_grad=True, **kw)

    b1 = torch.tensor([-0.0132, 0.7161, -0.4399, 0.5371], requires_grad=True, **kw)

    W2 = torch.tensor([[-0.4812, -0.3530, -0.4004, -0.0734],
                       [0.7681, -0.3188, 0.5793, 0.9179],
                       [0.1169, -0.2848, -0.4631, 0.1716],
                       [0.8809, 0.6788, 0.2416, 0.3609]], requires_grad=True, **kw)

    b2 = torch.tensor([0.1427, -0.7043, -0.8546, 0.4936], requires_grad=True, **kw)

    W_out = torch.tensor([[-0.2537, -0.5915, -0.0293, -0.3593]], requires_grad=True, **kw)

    b_out = torch.tensor([0.3446], requires_grad=True, **kw)

    # 2. Definir las entradas (X_s)
    X = torch.tensor([[2.5, 3.0, -2.5],
                      [4.0, -1.0, 0.5],
                      [0.5, 1.5, 1.0],
                      [3.0, 2.0, -2.0]], requires_grad=True, **kw)

    # 3. Definir el forward pass utilizando operaciones de PyTorch
    def forward_pass(X, W1, W2, W_out, b_out, b1, b2):
        h1 = torch.relu(X @ W1.T + b1)
        h2 = torch.relu(h1 @ W2.T + b2)
        y_pred = h2 @ W_out.T + b_out # Capa de salida
        return y_pred

    # 4. Realizar el forward pass y calcular la pérdida
    y_pred = forward_pass(X, W1, W2, W_out, b_out, b1, b2)
    y_true = torch.tensor([1.0, -1.0, 1.0, 1.0], **kw) # Valores objetivo

    # Imprimir las predicciones
    if verbose:
        print(f"Predicciones (Y_pred):\n {y_pred}")

    # 5. Calcular la pérdida para cada predicción
    loss = ((y_pred - y_true) ** 2).mean() # Pérdida cuadrática media

    # Imprimir la pérdida
    if verbose:
        print(f"Pérdida: {loss.item()}")

    # 6. Realizar la retropropagación automáticamente con PyTorch
    loss.backward()

    # Ver los gradientes calculados automáticamente
    if verbose:
        print("Gradientes de W1:\n", W1.grad)
        print("Gradientes de W2:\n", W2.grad)
        print("Gradientes de W_out:\n", W_out.grad)
        print("Gradiente de b1:\n", b1.grad)
        print("Gradiente de b2:\n", b2.grad)
        print("Gradiente de b_out:\n", b_out.grad)
        print("Gradiente de X (entradas):\n", X.grad)
    grads = {"W1": W1.grad, "W2": W2.grad, "W_out": W_out.grad, "b1": b1.grad, "b2": b2.grad, "b_out": b_out.grad,
             "X": X.grad}
    return y_pred, loss, grads, (W1, b1, W2, b2, W_out, b_out, X, y_true, forward_pass)


# The tables cell [6] printed (float32, four decimals), copied from the notebook's output.
NOTEBOOK_LOSS = 1.2240772247314453
NOTEBOOK_TABLES = {
    "W1": [[0.0561, 0.1682, 0.1121], [0.1604, 0.1003, 0.1011], [0.0000, 0.0000, 0.0000], [1.4478, -0.2873, 0.2240]],
    "W2": [[0.0000, 0.0000, 0.0000, 0.0000], [0.0000, 0.3010, 0.0000, 0.5076], [0.0000, 0.0000, 0.0000, 0.0000],
           [0.0347, 0.2799, 0.0000, 0.4102]],
    "W_out": [[-0.0526, -0.2525, 0.0000, -1.6442]],
    "b1": [[0.1121, 0.1157, 0.0000, 0.4022]],
    "b2": [[0.0936, 0.3133, 0.0000, 0.4502]],
    "b_out": [[-1.2529]],
    "X": [[0.0000, 0.0000, 0.0000], [0.0560, -0.0774, 0.1831], [-0.0823, -0.0086, 0.1022], [0.0000, 0.0000, 0.0000]],
}


def rows(t):
    t = t.detach().double()
    return t.reshape(1, -1).tolist() if t.dim() == 1 else t.tolist()


def f4(x):
    return f"{0.0 if round(x, 4) == 0 else x:.4f}"


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "out"
    with open(os.path.join(out, "symgrad.json")) as f:
        symgrad = json.load(f)["seed"]
    csharp = {}
    if len(sys.argv) > 2:
        text = open(sys.argv[2], encoding="utf-8").read()
        for key, pattern in (("broadcast64", r"Broadcast loss, mean of 16 squares, float64:\s+(\S+)"),
                             ("broadcast32", r"the same rounded to float32:\s+(\S+)"),
                             ("mse", r"The intended MSE, mean of the 4 squared errors:\s+(\S+)"),
                             ("agree", r"(\d+ of \d+) printed entries agree")):
            m = re.search(pattern, text)
            if m:
                csharp[key] = m.group(1)

    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s)")
    print("=== 1. The notebook's cell [6], as written (float32) ===")
    y_pred, loss, grads, _ = notebook_cell()
    print()
    check("cell [6] loss is the notebook's 1.2240772247314453", loss.item() == NOTEBOOK_LOSS,
          f"{loss.item()!r} (dtype {loss.dtype}, y_pred {tuple(y_pred.shape)} - y_true (4,) -> "
          f"{tuple((y_pred - torch.zeros(4)).shape)})")
    agree = total = 0
    for name, table in NOTEBOOK_TABLES.items():
        for r, printed in zip(rows(grads[name]), table):
            for v, p in zip(r, printed):
                total += 1
                agree += f4(v) == f4(p)
    check("cell [6] gradient tables, to the four decimals printed", agree == total,
          f"{agree} of {total} entries agree with the notebook")

    print("\n=== 2. The same cell in float64, against the C# reproduction (examples/SeedNotebook, section 2) ===")
    _, loss64, grads64, _ = notebook_cell(torch.float64, verbose=False)
    print(f"broadcast loss, float64: PyTorch {loss64.item()!r}")
    if "broadcast64" in csharp:
        c = float(csharp["broadcast64"])
        rel = abs(loss64.item() - c) / c
        check("float64 broadcast loss = the C# reproduction's", rel <= 1e-15,
              f"C# {csharp['broadcast64']}, relative difference {rel:.2g}")
        check("the C# float64 loss rounded to float32 = the notebook's", float(csharp.get("broadcast32", "nan")) == NOTEBOOK_LOSS,
              f"C# prints {csharp.get('broadcast32')}")
        print(f"  (the C# reproduction reports {csharp.get('agree', '?')} of its printed entries agreeing with the notebook's tables)")
    else:
        check("C# reproduction output given (second argument)", False, "no SeedNotebook output to compare with")
    agree64 = total64 = 0
    for name, table in NOTEBOOK_TABLES.items():
        for r, printed in zip(rows(grads64[name]), table):
            for v, p in zip(r, printed):
                total64 += 1
                agree64 += f4(v) == f4(p)
    check("float64 gradients of the broadcast loss, to four decimals, = the notebook's tables", agree64 == total64,
          f"{agree64} of {total64}")

    print("\n=== 3. The corrected MSE, ((y_pred.squeeze(1) - y_true) ** 2).mean(), float64, against SymGrad ===")
    _, _, _, (W1, b1, W2, b2, W_out, b_out, X, y_true, forward_pass) = notebook_cell(torch.float64, verbose=False)
    for t in (W1, b1, W2, b2, W_out, b_out, X):
        t.grad = None
    y = forward_pass(X, W1, W2, W_out, b_out, b1, b2)
    mse = ((y.squeeze(1) - y_true) ** 2).mean()
    mse.backward()
    print(f"Pérdida (MSE corregida): {mse.item()!r}")
    tensors = {"W1": W1, "W2": W2, "W_out": W_out, "b1": b1, "b2": b2, "b_out": b_out, "X": X}
    for name, t in tensors.items():
        print(f"Gradiente de {name}:\n", t.grad)
    rel = abs(mse.item() - symgrad["mse"]) / symgrad["mse"]
    check("corrected MSE = SymGrad's (generated SeedNet.LossGradient's loss / 4)", rel <= 1e-15,
          f"PyTorch {mse.item()!r}, SymGrad {symgrad['mse']!r}, relative difference {rel:.2g}")
    if "mse" in csharp:
        check("corrected MSE = the C# reproduction's printed intended MSE", float(csharp["mse"]) == symgrad["mse"],
              f"C# prints {csharp['mse']}")
    worst, n = 0.0, 0
    for name, t in tensors.items():
        for r, s in zip(rows(t.grad), symgrad["mse_grad"][name]):
            for v, g in zip(r, s):
                worst = max(worst, abs(v - g))
                n += 1
    check(f"the corrected MSE's {n} gradients = SymGrad's generated ones", worst <= 1e-15,
          f"max |PyTorch - SymGrad| = {worst:.2g}")

    print(f"\n{len(failures)} mismatch(es)")
    with open(os.path.join(out, "seed_pytorch.json"), "w") as f:
        json.dump({"torch": torch.__version__, "cell_loss": loss.item(), "cell_tables_agree": f"{agree} of {total}",
                   "broadcast64": loss64.item(), "csharp": csharp, "mse": mse.item(), "symgrad_mse": symgrad["mse"],
                   "mse_grad_max_abs_diff": worst, "failures": failures}, f, indent=2)
    return len(failures)


if __name__ == "__main__":
    sys.exit(main())
