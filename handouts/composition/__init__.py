"""Composing: a visit and the library into a Handout or a Brochure (templates, safety rules, care steps)."""
