#!/usr/bin/env bash
# Every brochure format x language x bleed x colour x (clinic, hip-pain) for the bundled clinic (no photos) and the
# example photo clinic, each checked by the brochure command's own preflight (issue 22's "done when").
#   tools/preflight_sweep.sh [OUT_DIR]     (run from the repository, with handouts installed)
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
mkdir -p "$out"
n=0; bad=0
for clinic in bundled examples/brochure-clinic/clinic.yaml; do
  for format in trifold bifold rack-card flyer; do
    for lang in en es zh; do
      for bleed in 0 0.125in; do
        for colour in rgb cmyk; do
          for condition in "" hip-pain; do
            args=(brochure $condition --format "$format" --lang "$lang" --bleed "$bleed" --colour "$colour")
            [ "$clinic" != bundled ] && args+=(--clinic "$clinic")
            if ! handouts "${args[@]}" -o "$out/$n.pdf" > "$out/$n.log" 2>&1 || ! grep -q "preflight passed" "$out/$n.log"; then
              echo "FAILED: handouts ${args[*]}"; tail -3 "$out/$n.log"; bad=$((bad + 1))
            fi
            n=$((n + 1))
          done
        done
      done
    done
  done
done
echo "$n brochures, $bad failed (in $out)"
[ "$bad" -eq 0 ]
