#!/usr/bin/env bash
# Writes COUNT photo-like 1600x1200 JPEGs (smooth colour fields and fine grain, each a different crop, about
# 300-400 KB) to DIR/photo{1..COUNT}.jpg with the libvips command line. Used by the benchmark scripts.
# Usage: bench/photos.sh DIR COUNT [QUALITY]   (default quality 85)
set -euo pipefail
dir=$1
count=$2
quality=${3:-85}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$dir"
for band in 0 1 2; do
  vips gaussnoise "$scratch/n$band.v" 200 150 --sigma 70 --mean 128
  vips resize "$scratch/n$band.v" "$scratch/s$band.v" 14 --kernel cubic
done
vips bandjoin "$scratch/s0.v $scratch/s1.v $scratch/s2.v" "$scratch/smooth.v"
vips gaussnoise "$scratch/grain.v" 2800 2100 --sigma 2 --mean 0
vips add "$scratch/smooth.v" "$scratch/grain.v" "$scratch/sum.v"
vips cast "$scratch/sum.v" "$scratch/canvas.v" uchar
vips copy "$scratch/canvas.v" "$scratch/canvas.srgb.v" --interpretation srgb
for i in $(seq 1 "$count"); do
  vips extract_area "$scratch/canvas.srgb.v" "$dir/photo$i.jpg[Q=$quality]" $(( (i * 7) % 1200 )) $(( (i * 5) % 900 )) 1600 1200
done
