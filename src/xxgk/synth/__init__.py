"""Synthetic reports and their renderings (txt, md, HTML, DOCX, PDF), for fixtures and planted-error tests."""

from __future__ import annotations

from .render import render, render_docx, render_html, render_md, render_pdf, render_txt
from .reports import identity_violations, plant_error, random_report

__all__ = [
    "identity_violations",
    "plant_error",
    "random_report",
    "render",
    "render_docx",
    "render_html",
    "render_md",
    "render_pdf",
    "render_txt",
]
