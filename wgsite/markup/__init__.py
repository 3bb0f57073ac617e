"""Turning text and pictures into HTML pieces: Markdown, typography, sanitising, images, assets."""
