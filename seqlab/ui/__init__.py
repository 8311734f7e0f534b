"""The Qt window, panels, views and the worker bridge."""
