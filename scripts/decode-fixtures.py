"""Decodes the recorded daemon responses (tests/fixtures/daemon/<engine>/) with the pydantic
models that datamodel-code-generator made from the export of the daemon's API version (and
from the unified document), as scripts/third-party-generators.sh runs it:

    python decode-fixtures.py MODELS_DIR OPENAPI_DIR FIXTURES_DIR [TS_DIR]

Each `<file> -> HTTP <status>` of a `commands.txt` names the request (method, path) behind a
file; the file is decoded with the model of that operation's response for the status, when the
export documents it as `application/json`: the named schema's class for a `$ref`, a list of
it for an array of `$ref`, else the class datamodel-code-generator names after the path
(`--openapi-scopes schemas paths`: `/containers/{id}/json` GET gives
`ContainersIdJsonGetResponse`). `.jsonl` files are decoded line by line (events and build
output, documented as binary streams, with the schema of their lines). Fails when a file does
not decode; prints what it skipped and why.

With TS_DIR (where openapi-typescript wrote `v1_41.ts`, ...), it also writes
`TS_DIR/fixtures.ts`: each decoded file as a constant of the TypeScript type of the same
response (`paths[...][...]["responses"][200]["content"]["application/json"]`, or the line's
schema for streams), for `tsc` to check (optional fields may be null: see `Lenient` there).
"""

import importlib
import json
import re
import shlex
import sys
from pathlib import Path

from pydantic import TypeAdapter


def requests(commands: Path):
    """(file, status, method, path) of each recorded request."""
    status = {}
    for line in commands.read_text().splitlines():
        m = re.match(r"# (\S+) -> HTTP (\d+)", line)
        if m:
            status[m.group(1)] = m.group(2)
            continue
        if not line.startswith("curl "):
            continue
        args = shlex.split(line)
        method = "head" if "--head" in args else "get"
        if "-X" in args:
            method = args[args.index("-X") + 1].lower()
        url = next(a for a in args if a.startswith("http://"))
        out = args[args.index("-o") + 1]
        path = re.sub(r"^http://[^/]+/v1\.\d+", "", url).split("?")[0]
        yield out, status.get(out), method, path


def template_regex(template: str):
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "(.+)", re.escape(template)) + "$")


def find_operation(doc, method, path):
    """The path template and operation of `method path`, literal segments first."""
    candidates = []
    for template, item in doc["paths"].items():
        if method in item and template_regex(template).match(path):
            candidates.append((template.count("{"), template, item[method]))
    candidates.sort(key=lambda c: c[0])
    return (candidates[0][1], candidates[0][2]) if candidates else (None, None)


def path_class_name(template, method):
    words = re.split(r"[/{}_\-.]+", template)
    return "".join(w[:1].upper() + w[1:] for w in words if w) + method.capitalize() + "Response"


# JSON-lines streams, documented as `application/octet-stream` bodies: the schema of each line
# (what the crate's `streams` module decodes them into).
STREAM_LINES = {("get", "/events"): "EventMessage", ("post", "/build"): "BuildInfo"}


def class_name(ref):
    return ref.rsplit("/", 1)[1]


def adapter(module, schema, template, method):
    """A pydantic TypeAdapter for `schema`, or the reason there is none."""
    ref = schema.get("$ref")
    items = schema.get("items", {}) if schema.get("type") == "array" else {}
    if ref:
        cls = getattr(module, class_name(ref), None)
        return (TypeAdapter(cls), class_name(ref)) if cls else (None, f"no class {class_name(ref)}")
    if items.get("$ref"):
        cls = getattr(module, class_name(items["$ref"]), None)
        name = f"list[{class_name(items['$ref'])}]"
        return (TypeAdapter(list[cls] | None), name) if cls else (None, f"no class for {name}")
    name = path_class_name(template, method)
    cls = getattr(module, name, None)
    return (TypeAdapter(cls), name) if cls else (None, f"no class {name}")


def main():
    models, openapi, fixtures = map(Path, sys.argv[1:4])
    ts_dir = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    ts_imports, ts_lines = set(), []
    sys.path.insert(0, str(models))
    decoded, skipped, failed = 0, [], []
    for engine in sorted(p for p in fixtures.iterdir() if (p / "commands.txt").exists()):
        first = (engine / "commands.txt").read_text().splitlines()[0]
        minor = re.search(r"\(API 1\.(\d+)\)", first).group(1)
        doc = json.loads((openapi / f"v1.{minor}.json").read_text())
        modules = [importlib.import_module(f"v1_{minor}"), importlib.import_module("unified")]
        for file, status, method, path in requests(engine / "commands.txt"):
            where = f"{engine.name}/{file}"
            if not (engine / file).exists() or not file.endswith((".json", ".jsonl")):
                continue
            template, op = find_operation(doc, method, path)
            response = (op or {}).get("responses", {}).get(status)
            if response is None:
                skipped.append(f"{where}: {method.upper()} {path} {status} is not in the v1.{minor} export")
                continue
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            line_schema = STREAM_LINES.get((method, template))
            if schema is None and file.endswith(".jsonl") and line_schema:
                schema = {"$ref": f"#/components/schemas/{line_schema}"}
            if schema is None:
                kinds = ", ".join(response.get("content", {})) or "no body"
                skipped.append(f"{where}: documented as {kinds}, not application/json")
                continue
            text = (engine / file).read_text()
            values = [json.loads(l) for l in text.splitlines() if l.strip()] if file.endswith(".jsonl") else [json.loads(text)]
            if ts_dir:
                ts = f"v1_{minor}"
                ts_imports.add(ts)
                if line_schema and file.endswith(".jsonl"):
                    ts_type = f'Components_{ts}["schemas"]["{line_schema}"]'
                else:
                    ts_type = f'Paths_{ts}["{template}"]["{method}"]["responses"][{status}]["content"]["application/json"]'
                ident = re.sub(r"\W", "_", f"fixture_{engine.name}_{file}")
                for i, v in enumerate(values):
                    # `is<T>()(value)`: checked against T with literal types kept (enum
                    # values), fields the spec does not document allowed.
                    ts_lines.append(f"export const {ident}_{i} = is<{ts_type}>()({json.dumps(v)});")
            for module in modules:
                ta, name = adapter(module, schema, template, method)
                if ta is None:
                    failed.append(f"{where} ({module.__name__}): {name}")
                    continue
                try:
                    for v in values:
                        ta.validate_python(v)
                    decoded += 1
                    print(f"ok {where} as {module.__name__}.{name}")
                except Exception as e:  # pydantic.ValidationError, with every place
                    failed.append(f"{where} ({module.__name__}.{name}): {str(e)[:1500]}")
    if ts_dir:
        head = [f'import type {{ paths as Paths_{m}, components as Components_{m} }} from "./{m}";' for m in sorted(ts_imports)]
        head += [
            "// The daemons send null for some optional fields that the specs do not mark nullable",
            "// (HostConfig.MemorySwappiness, EndpointSettings.IPAMConfig, v1.41's",
            "// ContainerWaitResponse.Error): optional fields take null, everything else is checked.",
            "type Lenient<T> = T extends (infer E)[] ? Lenient<E>[]",
            "  : T extends object ? { [K in keyof T]: undefined extends T[K] ? Lenient<T[K]> | null : Lenient<T[K]> } : T;",
            "const is = <T,>() => <U extends Lenient<T>>(value: U): U => value;",
        ]
        (ts_dir / "fixtures.ts").write_text("\n".join(head + ts_lines) + "\n")
    for s in skipped:
        print(f"skipped {s}")
    for f in failed:
        print(f"FAILED {f}", file=sys.stderr)
    print(f"fixtures: {decoded} decodings passed, {len(failed)} failed, {len(skipped)} files skipped")
    sys.exit(1 if failed or not decoded else 0)


if __name__ == "__main__":
    main()
