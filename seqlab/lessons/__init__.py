"""Built-in lessons: presets and their explanations (data, no logic)."""
