"""Delivering: a leaflet or brochure made end to end, files written atomically, batch, the record, preflight."""
