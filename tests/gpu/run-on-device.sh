#!/usr/bin/env bash
# The GPU check: every CUDA path of the tool against its CPU path on the same machine, and the benchmarks that need a
# GPU. Built here (no .NET SDK on the GPU machine), run there:
#
#   tests/gpu/run-on-device.sh pack           # here: publish ftc and the two benchmark programs into .gpu/ (git-ignored)
#   tests/gpu/run-on-device.sh run [cuda|cpu] [all|theory]
#                                             # there (or here with "cpu", which runs every step on the CPU paths);
#                                             # "theory": only the theory benchmark and the two-layer comparison
#
# "run" writes $OUT/gpu-check.log (everything) and the result JSONs, and prints one CHECK line per comparison.
# The device tool carries .gpu/dotnet-runtime.tar.xz, .gpu/apps.tar.xz and .gpu/fmnist (see README, "GPU check").
set -u
cd "$(dirname "$0")/../.."
root=$PWD

pack() {
    set -e
    mkdir -p .gpu
    (cd "$(dirname "$(readlink -f "$(command -v dotnet)")")" &&
        tar -cJf "$root/.gpu/dotnet-runtime.tar.xz" dotnet host shared/Microsoft.NETCore.App)
    rm -rf .gpu/apps && mkdir -p .gpu/apps
    dotnet publish src/FieldTheory.Cli -c Release -r linux-x64 --self-contained false -o .gpu/apps/ftc
    dotnet publish tests/FieldTheory.Theory.Benchmarks -c Release -r linux-x64 --self-contained false -o .gpu/apps/theory-bench
    dotnet publish tests/FieldTheory.Benchmarks -c Release -r linux-x64 --self-contained false -o .gpu/apps/ensemble-bench
    tar -C .gpu -cf - apps | xz -6 -T0 > .gpu/apps.tar.xz
    rm -rf .gpu/apps
    # The CNN case needs only a few images: Fashion-MNIST's test files, also offered as the training files.
    mkdir -p .gpu/fmnist
    cp /usr/share/datasets/fashion-mnist/t10k-* .gpu/fmnist/
    du -sh .gpu/*
}

run() {
    local device=${1:-cuda} only=${2:-all} out=${OUT:-$root/.gpu/out} work=/tmp/ftc-gpu apps=$root/.gpu/apps
    local cnn_device=$device
    [ "$device" = cpu ] && cnn_device=ilgpu-cpu
    mkdir -p "$out" "$work"
    exec > >(tee "$out/gpu-check.log") 2>&1
    if [ ! -x "$work/dotnet/dotnet" ]; then
        mkdir -p "$work/dotnet" && tar -C "$work/dotnet" -xJf .gpu/dotnet-runtime.tar.xz
    fi
    [ -d "$apps" ] || tar -C .gpu -xJf .gpu/apps.tar.xz
    export DOTNET_ROOT=$work/dotnet PATH=$work/dotnet:$PATH DOTNET_CLI_TELEMETRY_OPTOUT=1
    export FTC_BASELINES=$root/tests/baselines FTC_PYTHON=${FTC_PYTHON:-$(command -v python3)}
    local ftc="dotnet $apps/ftc/ftc.dll"
    mkdir -p "$work/cnn/fmnist"
    for f in .gpu/fmnist/t10k-*; do
        ln -sf "$root/$f" "$work/cnn/fmnist/$(basename "$f")"
        ln -sf "$root/$f" "$work/cnn/fmnist/$(basename "$f" | sed 's/t10k/train/')"
    done
    cp tests/gpu/cnn-quick.json "$work/cnn/"

    echo "== machine: $(nproc) cores; $(command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader)"
    echo "== python: $FTC_PYTHON $($FTC_PYTHON -c 'import numpy; print("numpy", numpy.__version__)' 2>&1)"
    step() { local name=$1; shift; local t0=$(date +%s%N); timeout 120 "$@"; local rc=$?; echo "== $name: exit $rc, $(( ($(date +%s%N) - t0) / 1000000 )) ms"; }

    step "theory benchmark" dotnet "$apps/theory-bench/FieldTheory.Theory.Benchmarks.dll" gpu 3 100 "$device"
    if [ "$only" = theory ]; then
        step "ftc run two-layer --device cpu" $ftc run examples/two-layer-tanh.json --device cpu --out "$out/two-layer-cpu.json"
        step "ftc run two-layer --device $device" $ftc run examples/two-layer-tanh.json --device "$device" --out "$out/two-layer-$device.json"
        $FTC_PYTHON tests/gpu/compare_results.py "$out/two-layer-cpu.json" "$out/two-layer-$device.json" 1e-9 | grep CHECK
        return
    fi
    step "ensemble benchmark, CPU engine" dotnet "$apps/ensemble-bench/FieldTheory.Benchmarks.dll" ratios 1 cpu
    export FTC_TORCH_DEVICE=$([ "$device" = cuda ] && echo cuda || echo cpu)
    step "ensemble benchmark, $device engine" dotnet "$apps/ensemble-bench/FieldTheory.Benchmarks.dll" ratios 1 "$device"

    # Tolerances: ensembles and the two-layer theory agree to ~1e-13; the deep theory's Gaussian paths come from a
    # Cholesky factor of nearly singular temporal kernels, which grows last-bit differences to ~1e-8 (GpuBenchmark.cs).
    for case in two-layer:examples/two-layer-tanh.json:1e-9 deep:tests/gpu/deep-tanh.json:1e-6; do
        IFS=: read -r name file tolerance <<< "$case"
        step "ftc run $name --device cpu" $ftc run "$file" --device cpu --out "$out/$name-cpu.json"
        step "ftc run $name --device $device" $ftc run "$file" --device "$device" --out "$out/$name-$device.json"
        $FTC_PYTHON tests/gpu/compare_results.py "$out/$name-cpu.json" "$out/$name-$device.json" "$tolerance"
    done
    step "ftc cnn --device cpu" $ftc cnn "$work/cnn/cnn-quick.json" --device cpu --out "$out/cnn-cpu.json"
    step "ftc cnn --device $cnn_device" $ftc cnn "$work/cnn/cnn-quick.json" --device "$cnn_device" --out "$out/cnn-$device.json"
    $FTC_PYTHON tests/gpu/compare_results.py "$out/cnn-cpu.json" "$out/cnn-$device.json" 1e-9

    grep -h "^CHECK" "$out/gpu-check.log"
}

case "${1:-}" in
    pack) pack ;;
    run) shift; run "$@" ;;
    *) echo "usage: $0 pack | run [cuda|cpu] [all|theory]" >&2; exit 2 ;;
esac
