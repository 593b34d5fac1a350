#!/usr/bin/env bash
# Validates the OpenAPI 3.0 document of every version (`cargo xtask export`) and the unified
# document of all of them (`cargo xtask export --unified`, docs/unified-spec.md) with
# openapi-spec-validator from PyPI (installed once into a virtualenv under the target dir).
# Exits non-zero, naming the document and the place, on the first invalid one.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
venv="$target/openapi-venv"
validator="openapi-spec-validator==0.9.0"
if ! "$venv/bin/python" -c "import openapi_spec_validator" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$validator"
fi
out="$target/openapi"
rm -rf "$out"
cargo xtask export --out "$out"
cargo xtask export --unified --out "$out"
"$venv/bin/python" - "$out"/*.json <<'PY'
"""Every document against the OpenAPI 3.0 schema, with all errors of the first bad one."""
import json, sys
from openapi_spec_validator import OpenAPIV30SpecValidator
from importlib.metadata import version

files = sys.argv[1:]
for f in files:
    with open(f) as fh:
        spec = json.load(fh)
    if not spec.get("openapi", "").startswith("3.0."):
        sys.exit(f"{f}: not an OpenAPI 3.0 document (openapi: {spec.get('openapi')!r})")
    errors = list(OpenAPIV30SpecValidator(spec).iter_errors())
    if errors:
        for e in errors[:20]:
            print(f"{f}: at {'/'.join(map(str, e.path))}: {e.message[:300]}", file=sys.stderr)
        sys.exit(f"{f}: {len(errors)} OpenAPI 3.0 error(s)")
print(f"validated with openapi-spec-validator {version('openapi-spec-validator')} (OpenAPIV30SpecValidator)")
print(f"openapi: {len(files)} passed, 0 failed")
PY
