"""Content -> checked, composed, rendered and preflighted brochure: the one function `handouts brochure` calls."""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import HandoutError


class ClaimError(HandoutError):
    """Text a brochure would print makes a risky health claim or a misleading Medicare promise."""


@dataclass(frozen=True)
class MadeBrochure:
    pdf: bytes
    report: object  # preflight.Report
    proof: bytes | None = None


SECTIONS = ("what-is-acupuncture", "what-to-expect", "risks", "when-to-call")


def build_brochure(condition: str | None, options, lang: str | None = None, content: str | os.PathLike | None = None,
                   clinic: str | os.PathLike | None = None, proof: bool = False) -> MadeBrochure:
    """Read the content, refuse risky claims in what will print, compose, render, preflight (and draw a proof).

    No `lang`: the first of the clinic's `languages`; `options.page_size` "": the clinic's `page_size`.
    """
    from dataclasses import replace

    from ..composition.brochure import compose_brochure
    from ..library.cache import content_read
    from .preflight import PreflightOptions, run_preflight as preflight
    from ..render.pdf.brochure import render_brochure

    result = content_read(content, clinic)  # ContentError when the tree has problems; kept between runs while no file changes
    library = result.library
    assert library is not None
    lang = lang or library.clinic.languages[0]
    if not options.page_size:
        options = replace(options, page_size=library.clinic.page_size)
    refuse_claims(result, condition, lang)
    brochure = compose_brochure(library, condition, options.format, lang, tabs=options.tabs, theme=options.theme or None)
    rendered = render_brochure(brochure, options)
    report = preflight(rendered.pdf, PreflightOptions(options.format, options.bleed, options.colour), label="the brochure",
                       notes=rendered.conversions)
    picture = None
    if proof:
        from ..render.pdf.proof import draw_proof

        picture = draw_proof(rendered.pdf, rendered.sheet)
    return MadeBrochure(rendered.pdf, report, picture)


def refuse_claims(result, condition: str | None, lang: str, market: bool = False, what: str = "the brochure") -> None:
    """ClaimError for risky health claims and misleading Medicare lines in the files a brochure (or a social post made
    from it) prints; with `market`, also the clinic's `claims:` rule (claims: uk) for those files."""
    from ..review.claims import claim_findings, market_findings, medicare_findings
    from ..composition.offers import check_language, offered_condition

    library = result.library
    rels = ["clinic.yaml", "brochures/clinic.yaml", *(f"sections/{s}.yaml" for s in SECTIONS)]
    check_language(library, lang)
    if condition:
        cid, _ = offered_condition(library, condition)
        rels += [f"conditions/{cid}.yaml", f"brochures/conditions/{cid}.yaml"]
        if library.clinic.claims == "uk" and result.lint is not None and cid not in result.lint.uk_claims:
            accepted = ", ".join(sorted(result.lint.uk_claims)) or "none"  # with or without a brochure file of its own
            raise ClaimError(f"clinic.yaml says `claims: uk`, and UK advertising rules accept no claim for {cid} (lint.yaml "
                             f"uk_claims: {accepted}); make the clinic's own {'post' if what != 'the brochure' else 'brochure'} "
                             f"or one for a condition on that list instead, or use `claims: us` if the clinic is in the US")
    elif library.brochure is not None and library.brochure.list_conditions:  # each condition offered, with its evidence line
        rels += [f"conditions/{cid}.yaml" for cid in library.conditions if library.clinic.offered(cid)]
    labels = {library.files[r].label for r in rels if r in library.files}
    problems = claim_findings(result.documents, result.lint, labels)
    ours = [d for d in result.documents if d.label in labels]
    problems += [f"{where}: {message}" for where, message in medicare_findings(ours)]
    if market:
        from ..library.schema import defaults
        from ..model import Lint

        lint = result.lint if result.lint is not None else defaults(Lint)
        problems += [f"{where}: {message}" for where, message in market_findings(ours, library, lint)]
    if problems:
        raise ClaimError(f"{what} would print text that promises too much; reword it (say what may help, not what is "
                         "promised), run `handouts check`, then try again:\n" + "\n".join(f"  {p}" for p in problems))
