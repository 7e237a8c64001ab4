"""Importers at the edge: files and online sources in, canonical tables out.

Every importer returns its findings as ``report.ImportReport`` lines naming the
file, sheet, row and column, so the user sees one clear list of problems in
their own language and nothing is imported while an error remains.
"""
