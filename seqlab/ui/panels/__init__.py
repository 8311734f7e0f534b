"""The panels of the left column: Data, Model and Training (each edits one section of the spec)."""
