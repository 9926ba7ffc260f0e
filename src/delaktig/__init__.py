"""Delaktig: governed citizen dialogue for Swedish municipalities."""
