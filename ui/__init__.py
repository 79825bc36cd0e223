"""The Qt desktop app (imported as asslb_designer.ui). The engine never imports it."""
