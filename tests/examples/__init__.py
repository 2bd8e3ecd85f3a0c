"""Tests for the committed sample calls in examples/calls."""
