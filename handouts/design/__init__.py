"""What pages look like, as data any painter uses: fonts, style sheets, body-map figures and geometry, print geometry."""
