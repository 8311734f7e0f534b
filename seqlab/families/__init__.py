"""Model families (placeholder in this branch; the main line lists and registers them here)."""
