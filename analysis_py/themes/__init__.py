"""Themes: the sub-topics a topic model finds in a topic's question text (docs/themes.md).

A theme is a topic model's topic; "topic" stays the study's (a row of the seed `topics`).
"""
