#!/usr/bin/env bash
# The whole test suite: the Rust workspace, then the Python bindings and the Spark example.
#
#   bash scripts/test.sh
#
# The bindings are built with maturin into a virtualenv at .venv (created on first run from
# crates/khabar-python/requirements-dev.txt, PyPI only); the Spark test runs pyspark in
# local[2] mode and needs a Java runtime (17+) on PATH or in JAVA_HOME.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Rust: cargo test --workspace (the Python crate is built by maturin below)"
cargo test --workspace --exclude khabar-python

echo "== Python: bindings and Spark example"
VENV="${KHABAR_VENV:-.venv}"
REQS=crates/khabar-python/requirements-dev.txt
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
# Reinstall only when the requirements changed since the last install.
if ! cmp -s "$REQS" "$VENV/.khabar-requirements" 2>/dev/null; then
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQS"
  cp "$REQS" "$VENV/.khabar-requirements"
fi
(cd crates/khabar-python && VIRTUAL_ENV="$PWD/../../$VENV" PATH="$PWD/../../$VENV/bin:$PATH" \
  maturin develop --quiet)
"$VENV/bin/python" -m pytest -q crates/khabar-python/tests
