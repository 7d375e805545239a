"""Reviewing content: `handouts check`, its guards and the claims rules for marketing copy."""
