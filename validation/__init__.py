"""Published worked cell calculations and the design files that reproduce them (data only)."""
