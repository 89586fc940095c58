"""Measuring extraction against labelled fixtures."""
