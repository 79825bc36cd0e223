"""The built-in materials library: TOML data, read by asslb_designer.materials via importlib.resources."""
