#!/usr/bin/env bash
# corpus-workspace.sh OUT assembles the public OpenControl corpus
# (../shared/corpus, see its README) into one workspace at OUT, the "real
# data" row of scripts/bench.sh: every component of the five repositories
# (aws, cf, docker's 5 and its 17 DockerEE examples, freedonia's 3), every
# standard of opencontrol/standards plus freedonia's, and every
# certification. Each component directory is copied whole (its narratives
# may name files beside it) to components/<repo>-<dir>, so no two share a
# key. The content is as published: check reports its real problems
# (rev4 IDs against rev5, missing fields), which is the point.
#
#   scripts/corpus-workspace.sh /tmp/corpus-ws [CORPUS]
set -euo pipefail

out=${1:?usage: corpus-workspace.sh OUT [CORPUS]}
repo=$(cd "$(dirname "$0")/.." && pwd)
corpus=${2:-$repo/../shared/corpus}
[ -d "$corpus/standards" ] || { echo "corpus-workspace: no corpus at $corpus" >&2; exit 2; }
[ ! -e "$out" ] || [ -z "$(ls -A "$out")" ] || { echo "corpus-workspace: $out exists and is not empty" >&2; exit 2; }
mkdir -p "$out/components" "$out/standards" "$out/certifications"

{
	echo 'schema_version: "1.0.0"'
	echo 'name: public-corpus'
	echo 'metadata:'
	echo '  description: The public OpenControl corpus assembled into one workspace (scripts/corpus-workspace.sh).'
	echo 'components:'
	find "$corpus" -name component.yaml -print | LC_ALL=C sort | while read -r f; do
		dir=$(dirname "$f")
		rel=${dir#"$corpus"/}
		name=$(printf '%s' "${rel%%/*}-$(basename "$dir")" | tr -c 'A-Za-z0-9._-' '-')
		cp -R "$dir" "$out/components/$name"
		echo "  - ./components/$name"
	done
	echo 'standards:'
	for f in "$corpus"/standards/nist-800-53-*.yaml "$corpus"/standards/pci-dss.yaml "$corpus"/standards/tsc-2017.yaml "$corpus"/freedonia-compliance/standards/*.yaml; do
		cp "$f" "$out/standards/"
		echo "  - ./standards/$(basename "$f")"
	done
	echo 'certifications:'
	for f in "$corpus"/certifications/*.yaml "$corpus"/freedonia-compliance/certifications/*.yaml; do
		case $(basename "$f") in opencontrol.yaml) continue ;; esac
		cp "$f" "$out/certifications/"
		echo "  - ./certifications/$(basename "$f")"
	done
} >"$out/opencontrol.yaml"
echo "corpus-workspace: $(grep -c '^  - ./components/' "$out/opencontrol.yaml") components, $(du -sk "$out/components" | cut -f1) KiB of components at $out" >&2
