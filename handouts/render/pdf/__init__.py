"""The PDF painters (ReportLab): the leaflet, large print, the brochure and its proof picture."""
