#!/bin/bash
# Peak resident memory of `causeway build` (the CLI process with its build worker), per model and
# image count, on the CIFAR-10 training records in ../shared/data/cifar10/exact (8,152 of them).
# Usage: bash bench/build-memory.sh [N …]   (default 500 2000 8152); prints one line per build.
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/cifar10/exact
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(500 2000 8152)
for n in "${sizes[@]}"; do
  for model in lenet5 vgg_bn; do
    /usr/bin/time -v node node_modules/tsx/dist/cli.mjs src/main/cli/main.ts build --project "$out/$model-$n" \
      --model "resources/models/$model" --data "$data" --split train --scale 1/255 --limit "$n" --json \
      > "$out/$model-$n.json" 2> "$out/$model-$n.time"
    rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$out/$model-$n.time")
    echo "$model $n images: peak RSS $((rss / 1024)) MiB, $(awk -F': ' '/Elapsed/ {print $2}' "$out/$model-$n.time") wall"
  done
done
