"""The seed notebook's own Python engine as a peer: its `Value` class (cell [2]), its weights and inputs, its
forward pass (cell [3]) and its loss (cell [5], the sum of squared errors), copied from the notebook
(/work/shared/seed/000_86e0108697194a74.txt). The only change to the engine is indentation: the notebook's text dump
lost the class indentation of `__mul__`, `relu` and `backward` at a page break; they are methods of `Value` in the
notebook, as its calls `z.relu()` and `loss.backward()` show.

One call = what SymGrad's `SeedNet.LossGradient` does: zero the gradients, build the graph for the four samples
(forward + loss), backward. It checks the loss against the notebook's 3.165349361996877 and the gradients against
SymGrad's (out/symgrad.json), then times the call.

    python3 micrograd_engine.py <out-dir>       (writes <out-dir>/micrograd.json)
"""
import json
import os
import sys

import peertiming


# ---- cell [2], the notebook's engine ----
class Value:
    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data})"

# Operaciones aritméticas de suma, resta y multiplicación que se van a
# realizar directamente entre los objetos de tipo Value.

# Suma
    def __add__(self, other):
        if not isinstance(other, Value):
            other = Value(other)
        out = Value(self.data + other.data, (self, other), '+')
        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

# Resta
    def __sub__(self, other):
        if not isinstance(other, Value):
            other = Value(other)
        out = Value(self.data - other.data, (self, other), '-')
        def _backward():
            self.grad += out.grad
            other.grad += -out.grad
        out._backward = _backward
        return out

# Multiplicación
    def __mul__(self, other):
        if not isinstance(other, Value):
            other = Value(other)
        out = Value(self.data * other.data, (self, other), '*')
        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

# Función de activación Relu
    def relu(self):
        out = Value(max(0, self.data), (self,), 'ReLU')
        def _backward():
            self.grad += (out.data > 0) * out.grad
        out._backward = _backward
        return out

# Retropropagación (Backward)
    def backward(self):
        topo = []
        visited = set()
        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()

# Definir los pesos y sesgos de la red neuronal manualmente

W1 = [[Value(-0.7731), Value(0.1601), Value(0.4321)],
       [Value(-0.0346), Value(-0.2008), Value(0.3647)],
       [Value(-0.7577), Value(0.4841), Value(-0.0354)],
       [Value(0.1601), Value(-0.2008), Value(0.4841)]]

b1 = [Value(-0.0132), Value(0.7161), Value(-0.4399), Value(0.5371)]

W2 = [[Value(-0.4812), Value(-0.3530), Value(-0.4004), Value(-0.0734)],
[Value(0.7681), Value(-0.3188), Value(0.5793), Value(0.9179)],
[Value(0.1169), Value(-0.2848), Value(-0.4631), Value(0.1716)],
[Value(0.8809), Value(0.6788), Value(0.2416), Value(0.3609)]]

b2 = [Value(0.1427), Value(-0.7043), Value(-0.8546), Value(0.4936)]

W_out = [Value(-0.2537), Value(-0.5915), Value(-0.0293), Value(-0.3593)]
b_out = Value(0.3446)

# Definir las entradas X_s

X_s = [[Value(2.5), Value(3.0), Value(-2.5)],
        [Value(4.0), Value(-1.0), Value(0.5)],
        [Value(0.5), Value(1.5), Value(1.0)],
        [Value(3.0), Value(2.0), Value(-2.0)]]


# ---- cell [3] ----
def forward(X):
    # Primera capa oculta
    h1 = []
    for i in range(4):
        z = Value(0)
        for j in range(3):
            z += W1[i][j] * X[j]
        z += b1[i]
        h1.append(z.relu())

    # Segunda capa oculta
    h2 = []
    for i in range(4): # 4 neuronas en la segunda capa oculta
        z = Value(0)
        for j in range(4):
            z += W2[i][j] * h1[j]
        z += b2[i]
        h2.append(z.relu())

    # Capa de salida
    y_pred = Value(0)
    for j in range(4):
        y_pred += W_out[j] * h2[j]
    y_pred += b_out
    return y_pred


# ---- cell [5]'s targets and loss ----
y_s = [Value(1.0), Value(-1.0), Value(1.0), Value(1.0)] # Valores deseados

LEAVES = {"W1": W1, "W2": W2, "W_out": [W_out], "b1": [b1], "b2": [b2], "b_out": [[b_out]], "X": X_s}


def loss_and_gradient():
    """Zero the gradients (the leaves persist across calls, as the notebook's do), forward, loss, backward."""
    for table in LEAVES.values():
        for row in table:
            for v in row:
                v.grad = 0.0
    for v in y_s:
        v.grad = 0.0
    y_preds = [forward(X_s[i]) for i in range(len(X_s))]
    loss = Value(0) # Iniciar la pérdida en Value(0)
    for y_pred, y_gt in zip(y_preds, y_s):
        loss += (y_pred - y_gt) * (y_pred - y_gt)
    loss.backward()
    return loss.data


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "out"
    with open(os.path.join(out, "symgrad.json")) as f:
        symgrad = json.load(f)["seed"]

    loss = loss_and_gradient()
    ok = loss == 3.165349361996877 and loss == symgrad["sse"]
    print(f"micrograd (the notebook's engine) seed loss: {loss!r}  notebook 3.165349361996877  SymGrad {symgrad['sse']!r}"
          f"  {'OK' if ok else 'MISMATCH'}")
    worst = max(abs(v.grad - g) for name, table in LEAVES.items()
                for row, grow in zip(table, symgrad["sse_grad"][name]) for v, g in zip(row, grow))
    grad_ok = worst <= 1e-12
    print(f"  its 53 gradients against SymGrad's generated LossGradient: max |diff| {worst:.3g}  {'OK' if grad_ok else 'MISMATCH'}")

    t = peertiming.measure(loss_and_gradient, peertiming.seconds_from_env())
    print(f"  forward + loss + backward: {t['median_ns'] / 1e3:.1f} us/call (median of {t['blocks']} blocks, {t['calls']} calls)")
    result = {"case": "seed", "peer": "micrograd Value engine (the notebook's own, CPython)", "loss": loss,
              "loss_ok": ok, "grad_max_abs_diff": worst, "grad_ok": grad_ok, **t}
    with open(os.path.join(out, "micrograd.json"), "w") as f:
        json.dump(result, f, indent=2)
    return 0 if ok and grad_ok else 1


if __name__ == "__main__":
    sys.exit(main())
