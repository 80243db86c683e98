"""Test helpers shared by every app's tests: factories (`everychild.testing.factories`)."""
