"""Shells around the pure app: gRPC, and the node that drives blocks."""
