#!/bin/bash
# Every test: install the dependencies, build (plain and with ASan + UBSan), run the suite on
# both builds. The last line is "N passed, N failed".
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/install-deps.sh
exec make -j"$(nproc)" check
