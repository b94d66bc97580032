#!/usr/bin/env bash
# Peers, side by side (issue 16 part 3). Times the same loss + gradient in PyTorch eager (CPU, one thread) and in the
# seed notebook's own Python engine against SymGrad's generated gradient, checks that every peer computes the same
# loss and gradient, runs the notebook's PyTorch cell, and writes benchmarks/peers/results.md.
#   benchmarks/peers/run.sh                 # PEERS_SECONDS=5 per measurement by default
#   PEERS_SECONDS=2 benchmarks/peers/run.sh # quicker
# Not part of `dotnet test`. Needs root for apt-get the first time (Debian 12: python3-torch is 1.13).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$here/out"
mkdir -p "$out"
seconds="${PEERS_SECONDS:-5}"
export PEERS_SECONDS="$seconds"
py=/usr/bin/python3   # Debian's python, where python3-torch installs (not a pyenv/venv python on PATH)
arch_lib=/usr/lib/x86_64-linux-gnu
openblas="$arch_lib/openblas-serial"
refblas="$arch_lib/blas:$arch_lib/lapack"

if ! "$py" -c 'import torch, numpy' 2>/dev/null || [ ! -e "$openblas/libblas.so.3" ]; then
  echo "== installing python3-torch python3-numpy libopenblas0-serial (apt)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-numpy libopenblas0-serial
fi

echo "== SymGrad (Release): exports the MNIST-size data, times the generated gradients"
dotnet build -c Release "$here/SymGradPeers" -nologo -v q
dotnet run -c Release --no-build --project "$here/SymGradPeers" -- "$out" --seconds "$seconds"

echo "== the C# reproduction of the seed notebook (examples/SeedNotebook; its pictures go to a scratch directory)"
scratch="$(mktemp -d)"
(cd "$scratch" && dotnet run --project "$repo/examples/SeedNotebook") > "$out/seednotebook.txt"
rm -rf "$scratch"

cd "$here"
echo "== micrograd (the notebook's Value engine)"
"$py" micrograd_engine.py "$out"
echo "== PyTorch eager, OpenBLAS (serial)"
LD_LIBRARY_PATH="$openblas" "$py" mlp_pytorch.py "$out" pytorch-openblas
echo "== PyTorch eager, reference BLAS (what python3-torch alone brings in)"
LD_LIBRARY_PATH="$refblas" "$py" mlp_pytorch.py "$out" pytorch-refblas
echo "== the notebook's PyTorch cell"
status=0
LD_LIBRARY_PATH="$openblas" "$py" seed_pytorch.py "$out" "$out/seednotebook.txt" | tee "$here/seed_pytorch-output.txt" || status=$?
"$py" make_table.py "$out" "$here/results.md"
echo "wrote $here/results.md"
exit "$status"
