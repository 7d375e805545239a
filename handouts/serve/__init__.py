"""`handouts serve`: the clinic's own web screen, a thin layer over the same library as the command line."""
