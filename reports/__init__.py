"""Reports: the board-ready PDF of a round, built from the results snapshot and rendered by WeasyPrint."""
