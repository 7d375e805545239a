"""Output formats: which renderer makes a file (print PDF, HTML page, tagged PDF/UA) and the suffix it gets."""

from __future__ import annotations

from pathlib import Path

from ..errors import OutputError

FORMATS = ("pdf", "html", "pdf-ua")
SUFFIXES = {"pdf": ".pdf", "html": ".html", "pdf-ua": ".pdf"}
INSTALL_ACCESSIBLE = ('--format pdf-ua needs WeasyPrint, an optional extra that is not installed; install it with '
                      'pip install "handouts[accessible]" (in a source checkout: pip install ".[accessible]"), '
                      'or use --format html or pdf')


def format_for(out: Path | None, given: str | None) -> str:
    """The format asked for, else the one the output's suffix names (.html, .htm), else pdf."""
    if given:
        return given
    if out is not None and out.suffix.lower() in (".html", ".htm"):
        return "html"
    return "pdf"


def require(fmt: str) -> None:
    """Fail now, before anything is made, if the format needs an extra that is not installed."""
    if fmt == "pdf-ua":
        import importlib.util

        if importlib.util.find_spec("weasyprint") is None:
            raise OutputError(INSTALL_ACCESSIBLE)


def render(handout, options=None) -> bytes:
    """Render a composed Handout in options.format (RenderOptions): PDF, HTML or tagged PDF/UA bytes."""
    from . import RenderOptions, render_leaflet

    options = options or RenderOptions()
    if options.format == "pdf":
        return render_leaflet(handout, options)
    if options.format == "html":
        from .html.page import HtmlOptions, render_html

        return render_html(handout, HtmlOptions(large_print=options.large_print, title_name=options.title_name,
                                                page_size=options.page_size))
    if options.format == "pdf-ua":
        return render_pdf_ua(handout, options)
    raise OutputError(f"--format {options.format!r}: unknown; choose one of {', '.join(FORMATS)}")


def render_pdf_ua(handout, options) -> bytes:
    """A tagged PDF/UA-1 of the HTML page, set by WeasyPrint with the bundled fonts."""
    import logging

    try:
        import weasyprint
    except ImportError:
        raise OutputError(INSTALL_ACCESSIBLE) from None
    except OSError as exc:  # installed, but the system's Pango (which it draws text with) is missing
        raise OutputError(f"--format pdf-ua: WeasyPrint cannot start ({exc}); install Pango, e.g. on Debian or Ubuntu "
                          "apt-get install libpango-1.0-0 libpangoft2-1.0-0, or use --format html or pdf") from None
    from .html.page import HtmlOptions, render_html

    html = render_html(handout, HtmlOptions(large_print=options.large_print, title_name=options.title_name,
                                            for_pdf=True, page_size=options.page_size))
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from .pdf_ua import finisher

    document = weasyprint.HTML(string=html.decode("utf-8"))
    # finisher: one Table per table, scoped header cells, /Lang on pinyin and characters (render/pdf_ua.py)
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False, finisher=finisher)
