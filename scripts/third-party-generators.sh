#!/usr/bin/env bash
# Third-party generators consume our OpenAPI 3.0 exports, as proof that they are usable outside
# Rust: the documents of a few versions and the unified one (docs/unified-spec.md) go through
#
# - datamodel-code-generator (PyPI): pydantic v2 models, which must import, and decode the
#   recorded daemon responses (tests/fixtures/daemon/) with the models of the daemon's API
#   version and with the unified models (scripts/decode-fixtures.py);
# - openapi-typescript (npm): TypeScript types, which must compile with `tsc --noEmit --strict`,
#   together with a file that uses them.
#
# The tools are installed once, at pinned versions, under the target dir (a virtualenv and an
# npm prefix). VERSIONS="1.41 1.55" picks other versions. About a minute and a half when cached.
set -euo pipefail
cd "$(dirname "$0")/.."
# Absolute: the checks below run from other directories.
target="$(realpath -m "${CARGO_TARGET_DIR:-target}")"
tools="$target/third-party"
python_pkgs=(datamodel-code-generator==0.97.0 pydantic==2.14.4)
npm_pkgs=(openapi-typescript@7.13.0 typescript@5.9.3)
# The oldest and newest versions, and those of the recorded daemons (Docker 20.10 and 28).
versions="${VERSIONS:-1.24 1.41 1.51 1.55}"

venv="$tools/venv"
if [ "$(cat "$tools/venv.stamp" 2>/dev/null)" != "${python_pkgs[*]}" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${python_pkgs[@]}"
  echo "${python_pkgs[*]}" > "$tools/venv.stamp"
fi
npm_prefix="$tools/npm"
if [ "$(cat "$tools/npm.stamp" 2>/dev/null)" != "${npm_pkgs[*]}" ]; then
  rm -rf "$npm_prefix"
  mkdir -p "$npm_prefix"
  npm install --prefix "$npm_prefix" --no-audit --no-fund --silent "${npm_pkgs[@]}"
  echo "${npm_pkgs[*]}" > "$tools/npm.stamp"
fi

out="$tools/out"
rm -rf "$out"
mkdir -p "$out/openapi" "$out/python" "$out/typescript"
cargo xtask export --out "$out/openapi" $versions
cargo xtask export --unified --out "$out/openapi"
docs=()
for v in $versions; do docs+=("v$v"); done
docs+=(unified)

# Both generators on every document, the documents in parallel (2 at a time).
generate() {
  local doc=$1 module=${1//./_}
  PYTHONWARNINGS=ignore "$venv/bin/datamodel-codegen" --input "$out/openapi/$doc.json" \
    --input-file-type openapi --openapi-scopes schemas paths \
    --output-model-type pydantic_v2.BaseModel --target-python-version 3.11 \
    --formatters black isort --disable-timestamp --output "$out/python/$module.py" \
    2> "$out/python/$module.log" || { cat "$out/python/$module.log" >&2; return 1; }
  # --empty-objects-unknown: `type: object` without properties allows any property in OpenAPI
  # (free-form maps such as a component's `Details`); the default `Record<string, never>`
  # would allow none.
  "$npm_prefix/node_modules/.bin/openapi-typescript" "$out/openapi/$doc.json" \
    --empty-objects-unknown -o "$out/typescript/$module.ts" > "$out/typescript/$module.log" 2>&1 \
    || { cat "$out/typescript/$module.log" >&2; return 1; }
  echo "generated $doc: $(grep -c '^class ' "$out/python/$module.py") Python classes, $(wc -c < "$out/typescript/$module.ts") bytes of TypeScript"
}
export -f generate
export out venv npm_prefix
printf '%s\n' "${docs[@]}" | xargs -P 2 -I{} bash -c 'generate {}'

# Python: every module imports; the recorded responses decode.
(cd "$out/python" && for d in "${docs[@]}"; do
  m=${d//./_}
  "$venv/bin/python" -c "import $m; print('imported $m:', sum(1 for n in dir($m) if n[:1].isupper()), 'names')"
done)
"$venv/bin/python" scripts/decode-fixtures.py "$out/python" "$out/openapi" tests/fixtures/daemon \
  "$out/typescript" > "$out/python/decode.log" || { cat "$out/python/decode.log"; exit 1; }
grep -v '^ok ' "$out/python/decode.log"

# TypeScript: the types, code that uses them (an operation's response, a schema, a parameter)
# and the recorded responses as values of their types (fixtures.ts, written by
# decode-fixtures.py) compile strictly.
{
  for d in "${docs[@]}"; do
    m=${d//./_}
    echo "import type { paths as Paths_$m, components as Components_$m } from \"./$m\";"
    echo "export type Info_$m = Paths_$m[\"/info\"][\"get\"][\"responses\"][200][\"content\"][\"application/json\"];"
    echo "export type Error_$m = Components_$m[\"schemas\"][\"ErrorResponse\"];"
    echo "export const error_$m: Error_$m = { message: \"no such container\" };"
    echo "export type Inspect_$m = Paths_$m[\"/images/{name}/json\"][\"get\"][\"responses\"][200][\"content\"][\"application/json\"];"
    echo "export type ListQuery_$m = NonNullable<Paths_$m[\"/containers/json\"][\"get\"][\"parameters\"][\"query\"]>;"
    echo "export const query_$m: ListQuery_$m = { all: true, limit: 10 };"
    echo "export const info_$m: Info_$m = { ID: \"x\", Containers: 1, Images: 2 };"
    echo "export const idOf_$m = (i: Inspect_$m): string | undefined => i.Id ?? undefined;"
  done
} > "$out/typescript/use.ts"
"$npm_prefix/node_modules/.bin/tsc" --noEmit --strict --skipLibCheck --target es2020 \
  --module es2020 --moduleResolution bundler "$out/typescript/use.ts" "$out/typescript/fixtures.ts"
echo "typescript: tsc $("$npm_prefix/node_modules/.bin/tsc" --version | cut -d' ' -f2) --noEmit --strict passed on ${#docs[@]} documents' types, their use and $(grep -c '^export const fixture_' "$out/typescript/fixtures.ts") recorded responses"
