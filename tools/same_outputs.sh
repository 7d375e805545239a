#!/usr/bin/env bash
# Make a fixed set of outputs (leaflets, brochures, HTML, PDF/UA) into DIR, cache off, so two checkouts can be
# compared byte for byte: tools/same_outputs.sh before/ ; (change) ; tools/same_outputs.sh after/ ; cmp each file.
set -euo pipefail
out=${1:?usage: tools/same_outputs.sh DIR}
mkdir -p "$out"
export HANDOUTS_CACHE=off
h() { python3 -m handouts "$@"; }
d=(--patient "Jane Doe" --practitioner "John Roe, L.Ac." --date 2026-12-01)
for lang in en es zh; do
  h leaflet hip-pain "${d[@]}" --lang "$lang" -o "$out/hip-$lang.pdf"
  h leaflet low-back-pain "${d[@]}" --lang "$lang" --flag anticoagulants --flag diabetes -o "$out/lbp-flags-$lang.pdf"
  h leaflet stress "${d[@]}" --lang "$lang" --large-print --tracker --start 2026-12-02 -o "$out/stress-lp-$lang.pdf"
  h leaflet knee-osteoarthritis "${d[@]}" --lang "$lang" --page-size a4 --note "Walk daily." -o "$out/knee-a4-$lang.pdf"
  h leaflet hip-pain "${d[@]}" --lang "$lang" --flag pregnant --points GB30,GB29,BL40,ST36,LI4,SP6 \
    --allow-caution LI4 --allow-caution SP6 -o "$out/hip-preg-$lang.pdf"
  h leaflet hip-pain "${d[@]}" --lang "$lang" -o "$out/hip-$lang.html"
  for f in trifold bifold rack-card flyer; do
    h brochure --format "$f" --lang "$lang" -o "$out/clinic-$f-$lang.pdf" >/dev/null
    h brochure hip-pain --format "$f" --lang "$lang" -o "$out/hip-$f-$lang.pdf" >/dev/null
  done
done
h brochure --format trifold --bleed 0.125in --marks crop,fold --colour cmyk --proof "$out/cmyk-proof.png" -o "$out/clinic-cmyk.pdf" >/dev/null
h brochure hip-pain --format rack-card --page-size a4 --bleed 3mm --marks crop --colour cmyk -o "$out/hip-rack-cmyk-a4.pdf" >/dev/null
h leaflet hip-pain "${d[@]}" --format pdf-ua -o "$out/hip-ua.pdf" 2>/dev/null || echo "pdf-ua skipped (no weasyprint)"
h batch examples/visits.csv --out-dir "$out/batch" >/dev/null
ls "$out" | wc -l
