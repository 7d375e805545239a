"""Reading content: YAML with line numbers, the schema, loading into a Library, the caches, approvals, the plan grammar."""
