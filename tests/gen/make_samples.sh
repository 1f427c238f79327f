#!/bin/sh
# SPDX-License-Identifier: MIT
# Regenerates the sample logs of testdata/sample/ and their answers with
# leakgen (the answers come from the generator's simulated state).
#   debug-llama.log.gz   8-device (T3K) V4 run, ~40k lines: weights and KV
#                        cache live at the DUMP near the end and freed after
#                        it, one TRACE buffer per device freed before the
#                        dump, CBs at 0x18b20 re-allocated with many sizes,
#                        unknown frees, one killed helper process cleaned up.
#   v1-small.log         small 2-device V1 run (decimal ids), one restart.
# Usage: tests/gen/make_samples.sh   (from anywhere)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
python3 tests/gen/leakgen.py --seed 381 --out testdata/sample/debug-llama \
    --version V4 --scenario llama --lines 40000 --gzip
python3 tests/gen/leakgen.py --seed 5 --out testdata/sample/v1-small \
    --version V1 --devices 2 --lines 1500 --restarts 1 --stats-every 250
python3 tests/gen/selfcheck.py testdata/sample/debug-llama.truth.json
python3 tests/gen/selfcheck.py testdata/sample/v1-small.truth.json
ls -l testdata/sample/
